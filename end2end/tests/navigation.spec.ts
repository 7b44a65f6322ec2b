import { expect, test, type Page, type Route } from '@playwright/test';
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

// Each page's code is a WASM chunk of its own (cargo leptos build --split). A chunk that cannot
// be downloaded stops the app; the browser then reloads the page once, and says so on the page
// if that does not help either.
const isChunk = (url: URL) => url.pathname.startsWith('/pkg/') && url.pathname.endsWith('.wasm') && url.pathname !== '/pkg/roster.wasm';

async function openProjectFromList(page: Page, name: string) {
  await page.getByRole('region', { name: 'Your Projects' }).getByRole('link', { name }).click();
}

test('a page whose code fails to download is loaded again once, and then works', async ({ page }, testInfo) => {
  await signUp(page, testInfo, 'Cora Chunk', uniqueEmail('cora'));
  const project = new URL(page.url()).pathname;
  await open(page, '/projects', testInfo);
  await markDocument(page);
  // A flaky network: the first chunk request fails, the rest get through.
  const refused: string[] = [];
  await page.route(isChunk, async (route: Route) => {
    if (refused.length > 0) return route.continue();
    refused.push(route.request().url());
    return route.abort('connectionreset');
  });

  await openProjectFromList(page, "Cora Chunk's project");
  await expect(page).toHaveURL(new RegExp(`${project}$`));
  await expect(page.getByRole('heading', { level: 1, name: "Cora Chunk's project" })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  expect(refused.length, 'the dashboard needs a chunk the main module lacks').toBe(1);
  // A new document (the reload), working as the app, with nothing to apologise for.
  expect(await page.evaluate(() => (window as unknown as { rosterMark?: boolean }).rosterMark)).toBeUndefined();
  await expect(page.getByRole('alert').filter({ hasText: 'Part of Roster' })).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('region', { name: 'You' })).toContainText('Cora Chunk');
});

test('when a page’s code cannot be downloaded at all, the page says so and offers a reload', async ({ page }, testInfo) => {
  await signUp(page, testInfo, 'Otto Offline', uniqueEmail('otto'));
  const project = new URL(page.url()).pathname;
  await open(page, '/projects', testInfo);
  let refused = 0;
  await page.route(isChunk, (route: Route) => {
    refused += 1;
    return route.abort('connectionreset');
  });

  await openProjectFromList(page, "Otto Offline's project");
  const alert = page.getByRole('alert').filter({ hasText: 'Part of Roster could not be loaded' });
  await expect(alert).toBeVisible();
  // The page the person went to, as the server rendered it; reloaded once, not in a loop.
  await expect(page).toHaveURL(new RegExp(`${project}$`));
  await expect(page.getByRole('heading', { level: 1, name: "Otto Offline's project" })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toHaveCount(0);
  expect(refused).toBeGreaterThan(1);
  await expect(alert).toHaveCount(1);

  // Once the network is back, the button in the message brings the app back.
  await page.unroute(isChunk);
  await alert.getByRole('button', { name: 'Reload the page' }).click();
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  await expect(alert).toHaveCount(0);
  await page.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('region', { name: 'You' })).toContainText('Otto Offline');
});
