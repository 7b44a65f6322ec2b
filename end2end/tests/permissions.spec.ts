import { expect, test } from '@playwright/test';
import {
  addService,
  expectLive,
  expectSameDocument,
  jsEnabled,
  joinAs,
  markDocument,
  newProject,
  open,
  settled,
  signUp,
  uniqueEmail,
} from './support';

// Issue 12 (seed 004): the Owner opens a Developer's permissions from the icon next to her,
// switches off stopping and limits her to one service. Dana's open Services page loses the other
// service at once (live, with JavaScript; on the next load without) and the service's page no
// longer offers Stop; the other service's address answers as if it did not exist. Every role,
// switch and forged request is tested in server/tests/permissions.rs.
test('a narrowed profile takes buttons and services off the member’s pages', async ({ browser, request }, testInfo) => {
  const js = jsEnabled(testInfo);
  const owner = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  const dev = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await signUp(owner, testInfo, 'Olive Owner', uniqueEmail('olive'));
  const project = await newProject(owner, testInfo, `Permissions ${Date.now()}`);
  const slug = project.split('/')[2];
  const ids: Record<string, string> = {};
  for (const name of ['web-1', 'db-1']) {
    ids[name] = await addService(request, slug, name);
  }
  await joinAs(owner, dev, testInfo, project, 'Dana Developer', 'developer');

  await open(dev, `${project}/services`, testInfo);
  const services = dev.getByRole('table');
  await expect(services.getByRole('link', { name: 'db-1' })).toBeVisible();
  await expect(services.getByRole('link', { name: 'web-1' })).toBeVisible();
  if (js) {
    await expectLive(dev);
    await markDocument(dev);
  }

  // The Owner opens Dana's permissions (a modal with its two parts, as in seed 004).
  await open(owner, `${project}/members`, testInfo);
  const row = owner.getByRole('row').filter({ hasText: 'Dana Developer' });
  await expect(row).toContainText('All 9 permissions · every service');
  await row.getByRole('link', { name: 'Permissions of Dana Developer' }).click();
  const dialog = owner.getByRole('dialog', { name: 'Permissions of Dana Developer' });
  await expect(dialog).toBeVisible();
  await settled(owner, testInfo);
  const actions = dialog.getByRole('group', { name: 'Action permissions' });
  await expect(actions.getByRole('checkbox')).toHaveCount(10);
  // Beyond the Developer role: cancelling cannot be switched on.
  await expect(actions.getByLabel('Cancel (permanently delete) services')).toBeDisabled();
  await actions.getByLabel('Stop and start services').uncheck();
  const reach = dialog.getByRole('group', { name: 'Resource access' });
  await reach.getByLabel('Only these services (none ticked: no service)').check();
  await reach.getByLabel('db-1').uncheck();
  await expect(reach.getByLabel('web-1')).toBeChecked();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toContainText('8 of 9 permissions · web-1');
  // The dialog's own address opens it on a fresh load too, with what was saved.
  const href = await row.getByRole('link', { name: 'Permissions of Dana Developer' }).getAttribute('href');
  await open(owner, href!, testInfo);
  await expect(dialog.getByRole('group', { name: 'Action permissions' }).getByLabel('Stop and start services')).not.toBeChecked();
  await expect(dialog.getByRole('group', { name: 'Resource access' }).getByLabel('db-1')).not.toBeChecked();
  await dialog.getByRole('link', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);

  // Dana's open page follows; without JavaScript, the next load shows it.
  if (!js) {
    await dev.reload();
  }
  await expect(services.getByRole('link', { name: 'db-1' })).toHaveCount(0);
  await expect(services.getByRole('link', { name: 'web-1' })).toBeVisible();
  if (js) {
    await expectSameDocument(dev);
  }
  await services.getByRole('link', { name: 'web-1' }).click();
  await expect(dev.getByRole('heading', { level: 1, name: 'web-1' })).toBeVisible();
  await settled(dev, testInfo);
  await expect(dev.getByRole('region', { name: 'Actions' }).getByRole('button')).toHaveText([
    'Soft restart',
    'Hard restart',
    'Create backup',
  ]);
  // Her own row on Members says what she has.
  await open(dev, `${project}/members`, testInfo);
  await expect(dev.getByRole('region', { name: 'You' })).toContainText('8 of 9 permissions · web-1');
  // The other service's address is refused by the server, not just hidden.
  const res = await dev.goto(`${project}/services/${ids['db-1']}`);
  expect(res?.status()).toBe(404);
  await expect(dev.getByRole('heading', { level: 1, name: 'Service unavailable' })).toBeVisible();
});

// Seed 004: "Once accepted, they appear in the member list with default (no) permissions" when
// the project chooses so in Settings.
test('new members can start with no permissions', async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const owner = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  const dev = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await signUp(owner, testInfo, 'Omar Owner', uniqueEmail('omar'));
  const project = await newProject(owner, testInfo, `No permissions ${Date.now()}`);
  await open(owner, `${project}/settings`, testInfo);
  const form = owner.getByRole('form', { name: 'New members' });
  await expect(form.getByLabel('Everything their role allows')).toBeChecked();
  await form.getByLabel('No permissions until granted').check();
  await form.getByRole('button', { name: 'Save' }).click();
  if (!js) {
    await expect(owner.getByRole('status').filter({ hasText: 'Saved: new members start with this' })).toBeVisible();
  }
  await open(owner, `${project}/settings`, testInfo);
  await expect(owner.getByRole('form', { name: 'New members' }).getByLabel('No permissions until granted')).toBeChecked();

  // Seed 004: switching projects keeps the section (his sign-up project's Settings).
  const header = owner.getByRole('banner');
  await header.getByLabel(/^Switch project: now No permissions/).click();
  const other = header.getByRole('link').filter({ hasNotText: /^(Roster|Projects)$/ });
  await expect(other).toHaveCount(1);
  await other.click();
  await expect(owner).toHaveURL(/\/p\/[^/]+\/settings$/);
  expect(new URL(owner.url()).pathname).not.toBe(`${project}/settings`);
  await expect(owner.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();

  await joinAs(owner, dev, testInfo, project, 'Dora Developer', 'developer');
  await open(dev, project, testInfo);
  // No switch to see services: the section is not in her sidebar.
  const sections = dev.getByRole('navigation', { name: 'Project sections' });
  await expect(sections.getByRole('link', { name: 'Members' })).toBeVisible();
  await expect(sections.getByRole('link', { name: 'Services' })).toHaveCount(0);
});
