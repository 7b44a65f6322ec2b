// Prints what Chromium downloads before each route of Roster is interactive: the WASM and JS
// it fetched (bytes on the wire, as the server sent them: gzip when asked), per route, and the
// time until the Members page has hydrated. Run by scripts/bench.sh against a running release
// server: `node end2end/measure/downloads.mjs http://127.0.0.1:PORT`.
import { chromium } from '@playwright/test';

const base = process.argv[2];
if (!base) throw new Error('usage: downloads.mjs BASE_URL');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

// An account with a project, so every page has something to show.
const setup = await browser.newContext();
const page = await setup.newPage();
await page.goto(`${base}/signup`);
await page.waitForSelector('html[data-hydrated]');
await page.getByLabel('Name').fill('Bench Person');
await page.getByLabel('Email').fill(`bench.${Date.now()}@example.com`);
await page.getByLabel('Password').fill('correct horse battery');
await page.getByRole('button', { name: 'Create account' }).click();
await page.waitForURL(/\/p\//);
const project = new URL(page.url()).pathname;
const state = await setup.storageState();
await setup.close();

const routes = [
  ['/', 'Home'],
  ['/signin', 'Sign in'],
  ['/signup', 'Sign up'],
  ['/projects', 'Projects'],
  ['/projects/new', 'New project'],
  [project, 'Dashboard'],
  [`${project}/members`, 'Members'],
  [`${project}/settings`, 'Settings'],
  ['/invite/not-a-token', 'Invitation link'],
];

const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
console.log('route                 wasm (wire)   js (wire)   time to interactive');
let worst = 0;
for (const [path, name] of routes) {
  // A fresh context each time: an empty cache, as a first visit.
  const context = await browser.newContext({ storageState: state });
  const p = await context.newPage();
  const sizes = [];
  p.on('requestfinished', (request) => {
    const url = request.url();
    if (url.endsWith('.wasm') || url.endsWith('.js')) {
      sizes.push(request.sizes().then((s) => [url.endsWith('.wasm') ? 'wasm' : 'js', s.responseBodySize]));
    }
  });
  await p.goto(`${base}${path}`);
  await p.waitForSelector('html[data-hydrated]');
  const interactive = await p.evaluate(() => performance.now());
  await p.waitForLoadState('networkidle');
  const all = await Promise.all(sizes);
  const wasm = all.filter(([k]) => k === 'wasm').reduce((t, [, b]) => t + b, 0);
  const js = all.filter(([k]) => k === 'js').reduce((t, [, b]) => t + b, 0);
  worst = Math.max(worst, wasm);
  console.log(`${name.padEnd(20)}  ${kb(wasm).padStart(10)}  ${kb(js).padStart(10)}   ${interactive.toFixed(0)} ms`);
  await context.close();
}
console.log(`largest WASM download of any route: ${kb(worst)} (budget 250 KB) — ${worst <= 250_000 ? 'within' : 'OVER'} budget`);
await browser.close();
