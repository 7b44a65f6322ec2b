import { expect, test } from '@playwright/test';
import { expectLive as live, expectSameDocument, markDocument, open, signUp, uniqueEmail } from './support';

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
  await dialog.getByLabel('Email Address').fill(adminEmail);
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
  await dialog.getByLabel('Email Address').fill(devEmail);
  await dialog.getByLabel('Role').selectOption('developer');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(owner.getByRole('status').filter({ hasText: `Invitation sent to ${devEmail}` })).toBeVisible();
  const pending = admin.getByRole('region', { name: 'Members with Pending Invitations' });
  await expect(pending.getByRole('cell', { name: devEmail })).toBeVisible();
  await expect(admin.getByLabel(`Role for ${devEmail}`)).toHaveValue('developer');

  await owner.getByLabel(`Role for ${devEmail}`).selectOption('accountant');
  await expect(admin.getByLabel(`Role for ${devEmail}`)).toHaveValue('accountant');
  await expect(admin.getByRole('region', { name: 'Activity' })).toContainText(`changed the invitation to ${devEmail} from Developer to Accountant`);

  // Olga makes Ada a Member: Ada's open page drops what a Member may not do, in place (the
  // browser asks the same access table the server enforces).
  const adminSections = admin.getByRole('navigation', { name: 'Project sections' });
  await expect(adminSections.getByRole('link', { name: 'Settings' })).toBeVisible();
  await expect(admin.getByRole('link', { name: 'New Member' })).toBeVisible();
  await open(owner, `${project}/members`, testInfo);
  await owner.getByLabel('Role of Ada Admin').selectOption('member');
  await expect(adminSections.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await expect(admin.getByRole('link', { name: 'New Member' })).toHaveCount(0);
  await expect(admin.getByRole('region', { name: 'Activity' })).toHaveCount(0);
  await expect(admin.getByRole('region', { name: 'You' })).toContainText('Member');

  // Olga removes Ada: Ada's open page shows at once that her access ended.
  await owner.getByRole('link', { name: 'Remove Ada Admin' }).click();
  await owner.getByRole('dialog', { name: 'Remove Ada Admin?' }).getByRole('button', { name: 'Confirm' }).click();
  await expect(owner.getByRole('region', { name: 'Other Members' })).toContainText('Nobody else is a member yet.');
  await expect(admin.getByRole('status').filter({ hasText: 'Access ended' }).first()).toBeVisible();
  await expect(admin.getByRole('heading', { name: 'Project unavailable' })).toBeVisible();
  await expect(admin.getByRole('cell', { name: devEmail })).toHaveCount(0);
  // All of it arrived in the page Ada opened: nothing reloaded it.
  await expectSameDocument(admin);

  await ownerContext.close();
  await adminContext.close();
});

test('a change made elsewhere shows at once and leaves what you type, your focus and your dialog alone', async ({ browser }, testInfo) => {
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
  await markDocument(typing);
  const dialog = typing.getByRole('dialog', { name: 'New Member' });
  await dialog.getByLabel('Email Address').fill(first);

  await open(other, `${project}/members?invite=1`, testInfo);
  await other.getByRole('dialog', { name: 'New Member' }).getByLabel('Email Address').fill(second);
  await other.getByRole('dialog', { name: 'New Member' }).getByRole('button', { name: 'Add' }).click();
  await expect(other.getByRole('status').filter({ hasText: `Invitation sent to ${second}` })).toBeVisible();

  // The first tab shows the new row at once, and keeps the open dialog, what was typed in it
  // and where the cursor is.
  const pending = typing.getByRole('region', { name: 'Members with Pending Invitations' });
  await expect(pending.getByRole('cell', { name: second })).toBeVisible();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Email Address')).toHaveValue(first);
  await expect(dialog.getByLabel('Email Address')).toBeFocused();

  await dialog.getByRole('button', { name: 'Add' }).click();
  await expect(typing.getByRole('status').filter({ hasText: `Invitation sent to ${first}` })).toBeVisible();
  await expect(pending.getByRole('cell', { name: first })).toBeVisible();
  await expect(pending.getByRole('cell', { name: second })).toBeVisible();
  await live(typing);
  await expectSameDocument(typing);

  // Back returns to the address before the invitation, and its dialog, in the same document.
  await typing.goBack();
  await expect(typing).toHaveURL(/\?invite=1$/);
  await expect(typing.getByRole('dialog', { name: 'New Member' })).toBeVisible();
  await expectSameDocument(typing);

  // A focused dropdown keeps the focus while another row changes.
  await typing.goto(`${project}/members`);
  await live(typing);
  await markDocument(typing);
  const firstRole = typing.getByLabel(`Role for ${first}`);
  await firstRole.focus();
  await open(other, `${project}/members`, testInfo);
  await other.getByLabel(`Role for ${second}`).selectOption('developer');
  await expect(typing.getByLabel(`Role for ${second}`)).toHaveValue('developer');
  await expect(firstRole).toBeFocused();

  // A field being typed into keeps its text and focus when the project changes elsewhere.
  await typing.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Settings' }).click();
  await typing.getByLabel('Project name').fill('Half typed');
  // The change reaches this page: it fetches the project's data again (as data, not a page).
  const refetched = typing.waitForResponse((r) => new URL(r.url()).pathname === '/api/project');
  await other.getByLabel(`Role for ${second}`).selectOption('accountant');
  await refetched;
  await expect(typing.getByLabel('Project name')).toHaveValue('Half typed');
  await expect(typing.getByLabel('Project name')).toBeFocused();
  await expectSameDocument(typing);

  await context.close();
});
