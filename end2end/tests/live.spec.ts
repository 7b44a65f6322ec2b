import { expect, test, type Page } from '@playwright/test';
import { expectSameDocument, markDocument, open, signUp, uniqueEmail } from './support';

/// The page's live indicator says the stream is open.
async function live(page: Page) {
  await expect(page.getByRole('status').filter({ hasText: /^Live$/ })).toBeVisible();
}

test('two people side by side see each other’s changes without reloading', async ({ browser }, testInfo) => {
  const ownerContext = await browser.newContext();
  const adminContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const admin = await adminContext.newPage();
  const adminEmail = uniqueEmail('ada');
  const devEmail = uniqueEmail('dev');

  await signUp(admin, testInfo, 'Ada Admin', adminEmail);
  await open(admin, '/projects', testInfo);
  await live(admin);

  await signUp(owner, testInfo, 'Olga Owner', uniqueEmail('olga'));
  const name = `Live ${Date.now()}`;
  await open(owner, '/projects/new', testInfo);
  await owner.getByLabel('Project name').fill(name);
  await owner.getByRole('button', { name: 'Create project' }).click();
  await expect(owner.getByRole('heading', { level: 1, name })).toBeVisible();
  const project = new URL(owner.url()).pathname;

  // The invitation appears on Ada's open Projects page the moment it is sent.
  await open(owner, `${project}/members?invite=1`, testInfo);
  const dialog = owner.getByRole('dialog', { name: 'New Member' });
  await dialog.getByLabel('Email addresses').fill(adminEmail);
  await dialog.getByLabel('Role').selectOption('admin');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(owner.getByRole('status').filter({ hasText: `Invitation sent to ${adminEmail}` })).toBeVisible();
  const invitations = admin.getByRole('region', { name: 'Project Invitations' });
  await expect(invitations.getByRole('cell', { name, exact: true })).toBeVisible();
  await invitations.getByRole('link', { name: `Accept invitation to ${name}` }).click();
  await admin.getByRole('dialog', { name: `Join ${name}?` }).getByRole('button', { name: 'Accept' }).click();
  await expect(admin.getByRole('region', { name: 'Shared Projects' }).getByRole('link', { name })).toBeVisible();

  // Ada keeps the Members page open; Olga invites a developer and then makes them Accountant.
  await open(admin, `${project}/members`, testInfo);
  await live(admin);
  await markDocument(admin);
  await expect(owner.getByRole('region', { name: 'Other Members' }).getByRole('cell', { name: 'Ada Admin', exact: true })).toBeVisible();
  await open(owner, `${project}/members?invite=1`, testInfo);
  await dialog.getByLabel('Email addresses').fill(devEmail);
  await dialog.getByLabel('Role').selectOption('developer');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(owner.getByRole('status').filter({ hasText: `Invitation sent to ${devEmail}` })).toBeVisible();
  const pending = admin.getByRole('region', { name: 'Members with Pending Invitations' });
  await expect(pending.getByRole('cell', { name: devEmail })).toBeVisible();
  await expect(admin.getByLabel(`Role for ${devEmail}`)).toHaveValue('developer');

  await owner.getByLabel(`Role for ${devEmail}`).selectOption('accountant');
  await expect(admin.getByLabel(`Role for ${devEmail}`)).toHaveValue('accountant');
  await expect(admin.getByRole('region', { name: 'Activity' })).toContainText(`changed the invitation to ${devEmail} from Developer to Accountant`);

  // Olga removes Ada: Ada's open page shows at once that her access ended.
  await open(owner, `${project}/members`, testInfo);
  await owner.getByRole('link', { name: 'Remove Ada Admin' }).click();
  await owner.getByRole('dialog', { name: 'Remove Ada Admin?' }).getByRole('button', { name: 'Remove' }).click();
  await expect(owner.getByRole('region', { name: 'Other Members' })).toContainText('Nobody else is a member yet.');
  await expect(admin.getByRole('status').filter({ hasText: 'Access ended' }).first()).toBeVisible();
  await expect(admin.getByRole('heading', { name: 'Project unavailable' })).toBeVisible();
  await expect(admin.getByRole('cell', { name: devEmail })).toHaveCount(0);
  // All of it arrived in the page Ada opened: nothing reloaded it.
  await expectSameDocument(admin);

  await ownerContext.close();
  await adminContext.close();
});

test('a change made elsewhere waits while you type, and shows once you are done', async ({ browser }, testInfo) => {
  // One person in two tabs: each tab follows the project, whoever made the change.
  const context = await browser.newContext();
  const typing = await context.newPage();
  const other = await context.newPage();
  await signUp(typing, testInfo, 'Tess Typist', uniqueEmail('tess'));
  const project = new URL(typing.url()).pathname;
  const first = uniqueEmail('first');
  const second = uniqueEmail('second');

  await open(typing, `${project}/members?invite=1`, testInfo);
  await live(typing);
  const dialog = typing.getByRole('dialog', { name: 'New Member' });
  await dialog.getByLabel('Email addresses').fill(first);

  await open(other, `${project}/members?invite=1`, testInfo);
  await other.getByRole('dialog', { name: 'New Member' }).getByLabel('Email addresses').fill(second);
  await other.getByRole('dialog', { name: 'New Member' }).getByRole('button', { name: 'Add' }).click();
  await expect(other.getByRole('status').filter({ hasText: `Invitation sent to ${second}` })).toBeVisible();

  // The first tab heard of it, but keeps the open dialog and what was typed there.
  await expect(typing.getByRole('status').filter({ hasText: 'Live: new changes will show when you finish' })).toBeVisible();
  await expect(dialog.getByLabel('Email addresses')).toHaveValue(first);
  const pending = typing.getByRole('region', { name: 'Members with Pending Invitations' });
  await expect(pending.getByRole('cell', { name: second })).toHaveCount(0);

  await markDocument(typing);
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(typing.getByRole('status').filter({ hasText: `Invitation sent to ${first}` })).toBeVisible();
  await expect(pending.getByRole('cell', { name: first })).toBeVisible();
  await expect(pending.getByRole('cell', { name: second })).toBeVisible();
  await live(typing);
  await expectSameDocument(typing);

  // Back returns to the address before the invitation, as the server renders it now.
  await typing.goBack();
  await expect(typing).toHaveURL(/\?invite=1$/);
  await expect(typing.getByRole('dialog', { name: 'New Member' })).toBeVisible();
  await expectSameDocument(typing);

  // A focused field holds changes back too; leaving it shows them.
  await open(typing, `${project}/settings`, testInfo);
  await live(typing);
  await markDocument(typing);
  await typing.getByLabel('Project name').focus();
  await open(other, `${project}/members?invite=1`, testInfo);
  const third = uniqueEmail('third');
  await other.getByRole('dialog', { name: 'New Member' }).getByLabel('Email addresses').fill(third);
  await other.getByRole('dialog', { name: 'New Member' }).getByRole('button', { name: 'Add' }).click();
  await expect(other.getByRole('status').filter({ hasText: `Invitation sent to ${third}` })).toBeVisible();
  await expect(typing.getByRole('status').filter({ hasText: 'Live: new changes will show when you finish' })).toBeVisible();
  await typing.getByRole('heading', { name: 'Settings' }).click();
  await live(typing);
  await expectSameDocument(typing);

  await context.close();
});
