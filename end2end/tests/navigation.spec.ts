import { expect, test } from '@playwright/test';
import { expectSameDocument, markDocument, open, signUp, uniqueEmail } from './support';

// With JavaScript the app never loads a second document: links, a form that redirects, Back
// and Forward all happen in the one that was opened. A marker on `window` proves it (a page
// load would lose it).
test('every link, a redirecting form, Back and Forward stay in one document', async ({ page }, testInfo) => {
  await signUp(page, testInfo, 'Nora Navigator', uniqueEmail('nora'));
  const first = new URL(page.url()).pathname;
  await open(page, '/projects', testInfo);
  await markDocument(page);

  const sections = page.getByRole('navigation', { name: 'Project sections' });
  const menu = page.getByRole('navigation', { name: 'Main menu' });

  // A form that redirects: create a project, land on its dashboard.
  await page.getByRole('link', { name: '+ New Project' }).click();
  await expect(page).toHaveURL(/\/projects\/new$/);
  await page.getByLabel('Project name').fill('Walk Through');
  await expect(page.getByLabel('URL name')).toHaveValue('walk-through');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page).toHaveURL(/\/p\/walk-through$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Walk Through' })).toBeVisible();

  // Every section of the project, from the sidebar.
  await sections.getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();
  await expect(sections.getByRole('link', { name: 'Members' })).toHaveAttribute('aria-current', 'page');
  await sections.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await sections.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Walk Through' })).toBeVisible();

  // The main menu, and from the list into the other project: its stream and data follow.
  await menu.getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('region', { name: 'Your Projects' }).getByRole('link', { name: 'Walk Through' })).toBeVisible();
  await page.getByRole('region', { name: 'Your Projects' }).getByRole('link', { name: "Nora Navigator's project" }).click();
  await expect(page).toHaveURL(new RegExp(`${first}$`));
  await expect(page.getByRole('heading', { level: 1, name: "Nora Navigator's project" })).toBeVisible();
  await sections.getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('region', { name: 'You' })).toContainText('Nora Navigator');
  await expect(page.getByRole('status').filter({ hasText: /^Live:/ })).toBeVisible();

  // Back and Forward.
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: "Nora Navigator's project" })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1, name: "Nora Navigator's project" })).toBeVisible();

  // The brand link goes home, still in place.
  await page.getByRole('link', { name: 'Roster' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Your projects, your people/ })).toBeVisible();
  await expectSameDocument(page);
});
