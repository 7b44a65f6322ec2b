import { expect, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import { OPERATOR_TOKEN } from '../playwright.config';
import { simpleParser } from 'mailparser';
import fs from 'node:fs';
import path from 'node:path';

export const PASSWORD = 'correct horse battery';

export function jsEnabled(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/// Opens a page; with JavaScript on, waits until the app has hydrated so clicks exercise it
/// (navigation and forms in place, roles saved at once) rather than the plain-form fallback.
export async function open(page: Page, url: string, testInfo: TestInfo) {
  await page.goto(url);
  await settled(page, testInfo);
}

/// After a page load: with JavaScript on, wait until the app has hydrated the document. The
/// first page a fresh browser opens downloads and compiles the app's WebAssembly with no cache;
/// on a loaded 2-core CI machine that once took longer than the 10 s an assertion waits, so
/// hydration (still required) gets a longer wait than a value on the page.
export async function settled(page: Page, testInfo: TestInfo) {
  if (jsEnabled(testInfo)) {
    await expect(page.locator('html[data-hydrated]')).toHaveCount(1, { timeout: 30_000 });
  }
}

let counter = 0;
export function uniqueEmail(name: string): string {
  counter += 1;
  return `${name}.${Date.now()}.${counter}@example.com`;
}

/// Fills in the sign-up form; every sign-up is then asked to check its email.
export async function signUpUnconfirmed(page: Page, testInfo: TestInfo, name: string, email: string) {
  await open(page, '/signup', testInfo);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();
}

/// Opens the confirmation link emailed to `email` and confirms: signed in, on the first project.
export async function confirmAddress(page: Page, testInfo: TestInfo, email: string) {
  await open(page, await confirmLink(testInfo, email), testInfo);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await expect(page).toHaveURL(/\/p\//);
  await settled(page, testInfo);
}

/// The path of the newest confirmation link emailed to `email`.
export async function confirmLink(testInfo: TestInfo, email: string): Promise<string> {
  const mail = await latestMailTo(testInfo, email, /\/confirm\//);
  const match = mail.match(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+/);
  if (!match) throw new Error(`no confirmation link in: ${mail}`);
  return new URL(match[0]).pathname;
}

/// Signs up and confirms the address as a person does: lands on the first project's dashboard.
export async function signUp(page: Page, testInfo: TestInfo, name: string, email: string) {
  await signUpUnconfirmed(page, testInfo, name, email);
  await confirmAddress(page, testInfo, email);
}


/// The mail directory of the server this project's tests talk to (see playwright.config.ts).
function mailDir(testInfo: TestInfo): string {
  return path.join(__dirname, '..', '.data', `${testInfo.project.name}-mail`);
}

/// Waits for the newest email to `to` (written by the server's mail worker) whose text matches
/// `matching` (any, by default) and returns its text.
export async function latestMailTo(testInfo: TestInfo, to: string, matching: RegExp = /./): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const dir = mailDir(testInfo);
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : [];
    const found: { at: number; text: string }[] = [];
    for (const f of files) {
      const full = path.join(dir, f);
      const mail = await simpleParser(fs.readFileSync(full));
      const recipients = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
      if (recipients.some((r) => r.text.includes(to)) && matching.test(mail.text ?? '')) {
        found.push({ at: fs.statSync(full).mtimeMs, text: mail.text ?? '' });
      }
    }
    if (found.length > 0) {
      found.sort((a, b) => a.at - b.at);
      return found[found.length - 1].text;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email to ${to}`);
}

export function inviteLink(mailText: string): string {
  const match = mailText.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/);
  if (!match) throw new Error(`no invitation link in: ${mailText}`);
  return new URL(match[0]).pathname;
}

/// Marks the page's current document, so `expectSameDocument` can tell a change shown in place
/// (JavaScript: the app navigates and updates without loading a document) from a new page load
/// (the plain-form fallback would pass the same checks).
export async function markDocument(page: Page) {
  await page.evaluate(() => {
    (window as unknown as { rosterMark: boolean }).rosterMark = true;
  });
}

export async function expectSameDocument(page: Page) {
  const marked = await page.evaluate(() => (window as unknown as { rosterMark?: boolean }).rosterMark === true);
  expect(marked, 'the page was loaded again instead of being updated in place').toBe(true);
}

/// The page's live indicator says the stream is open.
export async function expectLive(page: Page) {
  await expect(page.getByRole('status').filter({ hasText: /^Live:/ })).toBeVisible();
}

/// Creates a project from the New Project page and returns its path.
export async function newProject(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  await open(page, '/projects/new', testInfo);
  await page.getByLabel('Project name').fill(name);
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  return new URL(page.url()).pathname;
}

/// Invites `email` as `role` from the project's Members page (the New Member dialog).
export async function inviteFromMembersPage(page: Page, testInfo: TestInfo, projectPath: string, email: string, role: string) {
  await open(page, `${projectPath}/members`, testInfo);
  // Seed 003: the New Member button sits in the Other Members block.
  await page.getByRole('region', { name: 'Other Members' }).getByRole('link', { name: 'New Member' }).click();
  const dialog = page.getByRole('dialog', { name: 'New Member' });
  await expect(dialog).toBeVisible();
  await settled(page, testInfo);
  await dialog.getByLabel('Email Address').fill(email);
  await dialog.getByLabel('Role').selectOption(role);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Invitation sent to ${email}` })).toBeVisible();
}

/// Invites a new person as `role` from the project's Members page; they open the emailed link
/// in `page`, create their account as `name` and land in the project.
export async function joinAs(owner: Page, page: Page, testInfo: TestInfo, projectPath: string, name: string, role: string) {
  const email = uniqueEmail(name.split(' ')[0].toLowerCase());
  await inviteFromMembersPage(owner, testInfo, projectPath, email, role);
  await open(page, inviteLink(await latestMailTo(testInfo, email)), testInfo);
  await page.getByRole('link', { name: 'Create account' }).click();
  await settled(page, testInfo);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: /^You joined / })).toBeVisible();
}

/// A running VPS that the back office activates in the project at `slug` (the operator API, as
/// the hosting company's systems call it); its id.
export async function addService(request: APIRequestContext, slug: string, name: string): Promise<string> {
  const created = await request.post(`/api/operator/v1/projects/${slug}/services`, {
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` },
    data: { kind: 'vps', name, plan: 'VPS 4 GB', region: 'Amsterdam 2', status: 'running' },
  });
  expect(created.status()).toBe(201);
  return (await created.json()).id;
}
