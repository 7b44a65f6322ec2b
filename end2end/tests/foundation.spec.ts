import { expect, test } from '@playwright/test';
import { PASSWORD, jsEnabled, open, settled, signUp, uniqueEmail } from './support';

test('sign up, find the first project, create Acme Web, sign out and back in', async ({ page }, testInfo) => {
  const email = uniqueEmail('ada');
  await signUp(page, testInfo, 'Ada Lovelace', email);

  // Lands on the dashboard of the first project, created at registration, as its Owner.
  await expect(page).toHaveURL(/\/p\/ada-lovelace-s-project$/);
  await expect(page.getByRole('heading', { level: 1, name: "Ada Lovelace's project" })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: 'Owner' })).toBeVisible();
  await settled(page, testInfo);

  // Menu → Projects lists it under Your Projects; the other tables say they are empty.
  await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Projects' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  const yours = page.getByRole('region', { name: 'Your Projects' });
  await expect(yours.getByRole('link', { name: "Ada Lovelace's project" })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Shared Projects' })).toContainText('No one has shared a project');
  await expect(page.getByRole('region', { name: 'Project Invitations' })).toContainText('No invitations');
  await settled(page, testInfo);

  // + New Project: the slug follows the name as it is typed (with JavaScript).
  await page.getByRole('link', { name: '+ New Project' }).click();
  await expect(page).toHaveURL(/\/projects\/new$/);
  await settled(page, testInfo);
  await page.getByLabel('Project name').fill('Acme Web');
  if (jsEnabled(testInfo)) {
    await expect(page.getByLabel('URL name')).toHaveValue('acme-web');
    await expect(page.getByText('Your project will live at /p/acme-web')).toBeVisible();
  }
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page).toHaveURL(/\/p\/acme-web$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Acme Web' })).toBeVisible();
  await settled(page, testInfo);

  // Sign out, then back in.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await settled(page, testInfo);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByRole('region', { name: 'Your Projects' }).getByRole('link', { name: 'Acme Web' })).toBeVisible();
});

test('bad sign-up input is explained next to the field and the form keeps what was typed', async ({ page }, testInfo) => {
  await open(page, '/signup', testInfo);
  await page.getByLabel('Name').fill('Grace Hopper');
  await page.getByLabel('Email').fill('grace@nowhere');
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page.getByText('the part after @ must be a domain')).toBeVisible();
  await expect(page.getByText('Use at least 10 characters')).toBeVisible();
  await expect(page.getByLabel('Name')).toHaveValue('Grace Hopper');
  await expect(page.getByLabel('Email')).toHaveValue('grace@nowhere');
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
});

test('wrong credentials get one generic message', async ({ page }, testInfo) => {
  await open(page, '/signin', testInfo);
  await page.getByLabel('Email').fill('nobody@example.com');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Email or password is incorrect.' })).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue('nobody@example.com');
});

test('a taken URL name is refused with a free alternative, and the project is renamed in Settings', async ({ page }, testInfo) => {
  await signUp(page, testInfo, 'Linus', uniqueEmail('linus'));
  await expect(page).toHaveURL(/\/p\/linus-s-project$/);

  await open(page, '/projects/new', testInfo);
  await page.getByLabel('Project name').fill('Second');
  await page.getByLabel('URL name').fill('linus-s-project');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByText('The URL name “linus-s-project” is already taken. “linus-s-project-2” is free.')).toBeVisible();
  await expect(page.getByLabel('Project name')).toHaveValue('Second');
  await expect(page.getByLabel('URL name')).toHaveValue('linus-s-project');

  await open(page, '/p/linus-s-project/settings', testInfo);
  await page.getByLabel('Project name').fill('');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByText('Give the project a name.')).toBeVisible();
  // With JavaScript the answer was shown in place, and the field to correct has the focus.
  if (jsEnabled(testInfo)) await expect(page.getByLabel('Project name')).toBeFocused();
  await page.getByLabel('Project name').fill('Kernel Hosting');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Name saved.' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Project sections' })).toContainText('Kernel Hosting');
  // The earlier mistake is gone with its message.
  await expect(page.getByText('Give the project a name.')).toHaveCount(0);
  await expect(page.getByLabel('Project name')).toHaveValue('Kernel Hosting');
});

test('the Owner deletes a project by typing its name; a wrong name keeps it', async ({ page }, testInfo) => {
  await signUp(page, testInfo, 'Dora Deleter', uniqueEmail('dora'));
  const name = `Doomed ${Date.now()}`;
  await open(page, '/projects/new', testInfo);
  await page.getByLabel('Project name').fill(name);
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const path = new URL(page.url()).pathname;

  await open(page, `${path}/settings`, testInfo);
  const zone = page.getByRole('region', { name: 'Delete project' });
  await zone.getByLabel("Type the project's name to confirm").fill('doomed');
  await zone.getByRole('button', { name: 'Delete project' }).click();
  await expect(zone.getByText(`Type the project's name exactly as it is: ${name}`)).toBeVisible();
  // What was typed stays, and the project is still there.
  await expect(zone.getByLabel("Type the project's name to confirm")).toHaveValue('doomed');
  await expect(page.getByRole('navigation', { name: 'Project sections' })).toContainText(name);

  await zone.getByLabel("Type the project's name to confirm").fill(name);
  await zone.getByRole('button', { name: 'Delete project' }).click();
  await expect(page).toHaveURL(/\/projects(\?|$)/);
  await expect(page.getByRole('status').filter({ hasText: `${name} was deleted.` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Your Projects' }).getByRole('link', { name })).toHaveCount(0);
  await open(page, path, testInfo);
  await expect(page.getByRole('heading', { name: 'Project unavailable' })).toBeVisible();
});

test('the app hydrates and works under its Content-Security-Policy', async ({ page }, testInfo) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|CSP violation/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await signUp(page, testInfo, 'Cora Policy', uniqueEmail('cora'));
  const response = await page.goto('/projects');
  expect(response?.headers()['content-security-policy']).toContain("'nonce-");
  await settled(page, testInfo);
  await page.getByRole('region', { name: 'Your Projects' }).getByRole('link', { name: "Cora Policy's project" }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Cora Policy's project" })).toBeVisible();
  await page.getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('region', { name: 'You' })).toBeVisible();
  expect(violations).toEqual([]);
});
