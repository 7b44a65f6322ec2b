import { expect, type Page, type TestInfo } from '@playwright/test';

export const PASSWORD = 'correct horse battery';

export function jsEnabled(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/// Opens a page; with JavaScript on, waits until the app has hydrated so clicks exercise the
/// client-side code rather than the plain-form fallback.
export async function open(page: Page, url: string, testInfo: TestInfo) {
  await page.goto(url);
  await settled(page, testInfo);
}

/// After a navigation: with JavaScript on, wait for hydration of the new document.
export async function settled(page: Page, testInfo: TestInfo) {
  if (jsEnabled(testInfo)) {
    await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  }
}

let counter = 0;
export function uniqueEmail(name: string): string {
  counter += 1;
  return `${name}.${Date.now()}.${counter}@example.com`;
}

export async function signUp(page: Page, testInfo: TestInfo, name: string, email: string) {
  await open(page, '/signup', testInfo);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}
