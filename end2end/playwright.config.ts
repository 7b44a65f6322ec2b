import { defineConfig } from '@playwright/test';
import path from 'node:path';

// Each project gets its own server and a fresh database, so both can create the same project
// names and land on the same URLs.
const root = path.resolve(__dirname, '..');
const dataDir = path.join(__dirname, '.data');
export const OPERATOR_TOKEN = 'e2e-operator-token-0123456789abcdefghij';
const binary = path.join(root, 'target', process.env.ROSTER_PROFILE ?? 'release', 'server');

function server(name: string, port: number) {
  return {
    command: `rm -f ${dataDir}/${name}.db* && rm -rf ${dataDir}/${name}-mail && ${binary}`,
    cwd: root,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      DATABASE_URL: `sqlite://${dataDir}/${name}.db`,
      MAIL_DIR: `${dataDir}/${name}-mail`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: 'target/site',
      LEPTOS_SITE_PKG_DIR: 'pkg',
      LEPTOS_OUTPUT_NAME: 'roster',
      RUST_LOG: 'warn',
      // Every browser of the suite comes from 127.0.0.1, like an office behind one NAT: the
      // per-address limits are raised as such a deployment would (the limits themselves are
      // tested in server/tests/accounts.rs).
      SIGN_UP_PER_IP: '500',
      SIGN_IN_PER_IP: '500',
      // The back office's token: tickets.spec.ts answers as the hosting company's staff.
      OPERATOR_TOKEN: OPERATOR_TOKEN,
      // AI settings: the key that seals API keys, and the tests' fake provider on loopback
      // (ai.spec.ts), which production refuses.
      ROSTER_SECRET_KEY_FILE: `${dataDir}/${name}-secret.key`,
      AI_ALLOW_PRIVATE_HOSTS: '1',
    },
  };
}

// As root in a closed network: no sandbox, and no background traffic for the network to refuse.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};

export default defineConfig({
  testDir: './tests',
  // Two cores: one test at a time keeps the servers responsive.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: chromium,
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'js', use: { javaScriptEnabled: true, baseURL: 'http://127.0.0.1:3101' } },
    // Live updates and in-place navigation need JavaScript; without it pages work but are
    // plain page loads, not live.
    {
      name: 'no-js',
      testIgnore: /(live|navigation)\.spec\.ts/,
      use: { javaScriptEnabled: false, baseURL: 'http://127.0.0.1:3102' },
    },
  ],
  webServer: [server('js', 3101), server('no-js', 3102)],
});
