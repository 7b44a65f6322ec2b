import { expect, test } from '@playwright/test';
import {
  PASSWORD,
  confirmAddress,
  confirmLink,
  inviteFromMembersPage,
  jsEnabled,
  newProject,
  open,
  signUp,
  signUpUnconfirmed,
  uniqueEmail,
} from './support';

// Issue 9: whoever registers an invited address without reading its mail must not get the
// invitation; the person who owns the address gets it once they confirm.
test('invitations wait until the address is confirmed', async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const ownerContext = await browser.newContext({ javaScriptEnabled: js });
  const hireContext = await browser.newContext({ javaScriptEnabled: js });
  const owner = await ownerContext.newPage();
  const hire = await hireContext.newPage();
  const hireEmail = uniqueEmail('hire');

  await signUp(owner, testInfo, 'Oona Owner', uniqueEmail('oona'));
  const project = await newProject(owner, testInfo, `Payroll ${Date.now()}`);
  await inviteFromMembersPage(owner, testInfo, project, hireEmail, 'admin');

  // Registered but unconfirmed, signed in with the password: own projects only.
  await signUpUnconfirmed(hire, testInfo, 'Hugo Hire', hireEmail);
  await open(hire, '/signin', testInfo);
  await hire.getByLabel('Email').fill(hireEmail);
  await hire.getByLabel('Password').fill(PASSWORD);
  await hire.getByRole('button', { name: 'Sign in' }).click();
  await expect(hire).toHaveURL(/\/projects$/);
  const callout = hire.getByRole('region', { name: 'Confirm your email address' });
  await expect(callout).toContainText(hireEmail);
  const invitations = hire.getByRole('region', { name: 'Project Invitations' });
  await expect(invitations).toContainText('No invitations are waiting');

  // A new link right after the first is refused with the reason, next to the button.
  await callout.getByRole('button', { name: 'Send a new confirmation link' }).click();
  await expect(hire.getByRole('alert').filter({ hasText: 'less than a minute ago' })).toBeVisible();

  // The emailed link confirms the address: the invitation shows up.
  await confirmAddress(hire, testInfo, hireEmail);
  await open(hire, '/projects', testInfo);
  await expect(hire.getByRole('region', { name: 'Confirm your email address' })).toHaveCount(0);
  await expect(invitations.getByRole('link', { name: /^Accept invitation to Payroll/ })).toBeVisible();

  await ownerContext.close();
  await hireContext.close();
});

test('a confirmation link works once', async ({ page }, testInfo) => {
  const email = uniqueEmail('once');
  await signUp(page, testInfo, 'Olly Once', email);
  await open(page, await confirmLink(testInfo, email), testInfo);
  await expect(page.getByRole('heading', { level: 1, name: 'Link unavailable' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('already used');
  await expect(page.getByRole('button', { name: 'Confirm my address' })).toHaveCount(0);
});
