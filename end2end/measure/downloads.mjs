// Prints what Chromium downloads before each route of Roster is interactive: the WASM and JS
// it fetched (bytes on the wire, as the server sent them: gzip when asked), per route, and the
// time until the Members page has hydrated. Run by scripts/bench.sh against a running release
// server: `node end2end/measure/downloads.mjs http://127.0.0.1:PORT MAIL_DIR` (where that server
// writes its .eml files: the account's confirmation link is read from there).
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

const base = process.argv[2];
const mailDir = process.argv[3];
if (!base || !mailDir) throw new Error('usage: downloads.mjs BASE_URL MAIL_DIR');

/// The confirmation link in the first .eml to arrive (the bench server has just this account).
async function confirmationPath() {
  for (let i = 0; i < 300; i++) {
    const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml')) : [];
    for (const f of files) {
      // Quoted-printable may wrap the link; undo soft line breaks first.
      const text = fs.readFileSync(path.join(mailDir, f), 'utf8').replace(/=\r?\n/g, '');
      const match = text.match(/\/confirm\/[A-Za-z0-9_-]+/);
      if (match) return match[0];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no confirmation email in ${mailDir}`);
}
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
await page.waitForURL(/\/signup\/sent$/);
await page.goto(`${base}${await confirmationPath()}`);
await page.getByLabel('Password').fill('correct horse battery');
await page.getByRole('button', { name: 'Confirm my address' }).click();
await page.waitForURL(/\/p\//);
const project = new URL(page.url()).pathname;
const state = await setup.storageState();
await setup.close();

// Pages for visitors are opened signed out (signed in, they send the person to Projects);
// the others signed in.
const routes = [
  ['/', 'Home', false],
  ['/signin', 'Sign in', false],
  ['/signup', 'Sign up', false],
  ['/signup/sent', 'Sign-up sent', false],
  ['/confirm/not-a-token', 'Confirmation link', false],
  ['/invite/not-a-token', 'Invitation link', false],
  ['/projects', 'Projects', true],
  ['/projects/new', 'New project', true],
  [project, 'Dashboard', true],
  [`${project}/members`, 'Members', true],
  [`${project}/settings`, 'Settings', true],
  [`${project}/settings/billing`, 'Billing', true],
  [`${project}/services`, 'Services', true],
  [`${project}/ssh-keys`, 'SSH keys', true],
  [`${project}/invoices`, 'Invoices', true],
  [`${project}/tickets`, 'Tickets', true],
];

const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
console.log('route                 wasm (wire)   js (wire)   time to interactive');
let worst = 0;
for (const [path, name, signedIn] of routes) {
  // A fresh context each time: an empty cache, as a first visit.
  const context = await browser.newContext(signedIn ? { storageState: state } : {});
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
