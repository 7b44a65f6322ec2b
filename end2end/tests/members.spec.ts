import { expect, test, type Page, type TestInfo } from '@playwright/test';
import {
  PASSWORD,
  expectSameDocument,
  inviteFromMembersPage,
  inviteLink,
  jsEnabled,
  latestMailTo,
  markDocument,
  newProject,
  open,
  settled,
  signUp,
  uniqueEmail,
} from './support';

async function chooseRole(page: Page, testInfo: TestInfo, label: string, role: string) {
  const select = page.getByLabel(label);
  await select.selectOption(role);
  if (!jsEnabled(testInfo)) {
    // Without JavaScript the row's Save button submits the form.
    await select.locator('xpath=ancestor::form').getByRole('button', { name: 'Save' }).click();
  }
}

test('invite, change the pending role, join from the email, and be removed', async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const ownerContext = await browser.newContext({ javaScriptEnabled: js });
  const inviteeContext = await browser.newContext({ javaScriptEnabled: js });
  const owner = await ownerContext.newPage();
  const invitee = await inviteeContext.newPage();

  await signUp(owner, testInfo, 'Olivia Owner', uniqueEmail('olivia'));
  await expect(owner.getByRole('heading', { level: 1 })).toBeVisible();
  const project = await newProject(owner, testInfo, `Hosting ${Date.now()}`);
  const email = uniqueEmail('ivan');

  // Invite as Developer, then change the pending invitation to Accountant inline.
  await inviteFromMembersPage(owner, testInfo, project, email, 'developer');
  const pending = owner.getByRole('region', { name: 'Members with Pending Invitations' });
  await expect(pending.getByRole('cell', { name: email })).toBeVisible();
  // Seed 001's status until the link is used.
  await expect(pending.getByRole('row').filter({ hasText: email })).toContainText('Awaiting confirmation');
  // Seed 003's role names and rights, in the role reference.
  const roles = owner.getByRole('region', { name: 'Roles' });
  await expect(roles.getByRole('term')).toHaveText(['Team Owner', 'Team Admin', 'Team Member', 'Developer', 'Accountant']);
  await expect(roles.getByRole('definition').filter({ hasText: 'Sees everything financial' })).toBeVisible();
  await expect(owner.getByLabel(`Role for ${email}`).locator('option', { hasText: 'Team Admin' })).toHaveCount(1);
  await settled(owner, testInfo);
  if (js) await markDocument(owner);
  await chooseRole(owner, testInfo, `Role for ${email}`, 'accountant');
  await expect(owner.getByLabel(`Role for ${email}`)).toHaveValue('accountant');
  await expect(owner.getByRole('region', { name: 'Activity' })).toContainText(`changed the invitation to ${email} from Developer to Accountant`);
  // With JavaScript the role is saved in place: no Save click, no page load.
  if (js) await expectSameDocument(owner);
  await owner.reload();
  await expect(owner.getByLabel(`Role for ${email}`)).toHaveValue('accountant');

  if (js) {
    await settled(owner, testInfo);
    await markDocument(owner);
    const role = owner.getByLabel(`Role for ${email}`);
    const row = pending.getByRole('row').filter({ has: role });
    // No Save button once the app runs: the dropdown saves by itself.
    await expect(row.getByRole('button', { name: 'Save' })).toHaveCount(0);
    // The new role shows at once, while the server has not answered yet.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await owner.route('**/api/change_invitation_role', async (route) => {
      await held;
      await route.continue();
    });
    await role.selectOption('developer');
    await expect(role).toHaveValue('developer');
    await expect(row.getByRole('alert')).toHaveCount(0);
    release();
    await expect(owner.getByRole('region', { name: 'Activity' })).toContainText(`changed the invitation to ${email} from Accountant to Developer`);
    await owner.unroute('**/api/change_invitation_role');
    // A lost connection: the dropdown goes back to the saved role, with the reason in the row.
    await owner.route('**/api/change_invitation_role', (route) => route.abort());
    await role.selectOption('member');
    await expect(row.getByRole('alert')).toContainText('Could not reach Roster');
    await expect(role).toHaveValue('developer');
    await owner.unroute('**/api/change_invitation_role');
    await role.selectOption('accountant');
    await expect(
      owner.getByRole('region', { name: 'Activity' }).getByRole('listitem').filter({ hasText: `changed the invitation to ${email} from Developer to Accountant` }),
    ).toHaveCount(2);
    await expect(row.getByRole('alert')).toHaveCount(0);
    await expectSameDocument(owner);
  }

  // The invitee opens the link from the delivered email, registers with the invited address.
  const link = inviteLink(await latestMailTo(testInfo, email));
  await open(invitee, link, testInfo);
  await expect(invitee.getByRole('heading', { name: /^Join / })).toBeVisible();
  // The header's links keep the invitation too (issue 11, item 6).
  const header = invitee.getByRole('banner');
  await expect(header.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', /^\/signin\?next=(%2F|\/)invite(%2F|\/)/);
  await expect(header.getByRole('link', { name: 'Sign up' })).toHaveAttribute('href', /^\/signup\?next=(%2F|\/)invite(%2F|\/)/);
  await invitee.getByRole('link', { name: 'Create account' }).click();
  await settled(invitee, testInfo);
  await expect(invitee.getByLabel('Email')).toHaveValue(email);
  await expect(invitee.getByLabel('Email')).toHaveAttribute('readonly', '');
  await invitee.getByLabel('Name').fill('Ivan Invitee');
  await invitee.getByLabel('Password').fill(PASSWORD);
  await invitee.getByRole('button', { name: 'Create account' }).click();
  await expect(invitee.getByRole('heading', { name: /^You joined / })).toBeVisible();
  await expect(invitee.getByRole('status')).toContainText('as Accountant');
  await invitee.getByRole('link', { name: /^Open / }).click();
  await expect(invitee.getByRole('definition').filter({ hasText: 'Accountant' })).toBeVisible();
  await open(invitee, '/projects', testInfo);
  await expect(invitee.getByRole('region', { name: 'Shared Projects' }).getByRole('cell', { name: 'Accountant' })).toBeVisible();
  // Seed 003: the Accountant sees the members but not the history (issue 11, item 9).
  await open(invitee, `${project}/members`, testInfo);
  await expect(invitee.getByRole('region', { name: 'Other Members' })).toContainText('Olivia Owner');
  await expect(invitee.getByRole('region', { name: 'Activity' })).toHaveCount(0);
  await expect(invitee.getByRole('region', { name: 'Other Members' }).getByRole('link', { name: 'New Member' })).toHaveCount(0);
  // An Accountant's Settings is billing only (seed 003: "sees everything financial"); the
  // project's own settings, typed as an address, are refused (403) and say why.
  await expect(invitee.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Settings' })).toHaveAttribute(
    'href',
    `${project}/settings/billing`,
  );
  const refused = await invitee.goto(`${project}/settings`);
  expect(refused?.status()).toBe(403);
  await expect(invitee.getByRole('alert')).toContainText('Your role (Accountant) cannot change');
  // Nor are Services (seed 003: the Accountant does not manage services).
  await expect(invitee.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Services' })).toHaveCount(0);
  const noServices = await invitee.goto(`${project}/services`);
  expect(noServices?.status()).toBe(403);
  await expect(invitee.getByRole('alert')).toContainText('which cannot do this: view the services section');

  // The Owner sees them under Other Members, and removes them.
  await open(owner, `${project}/members`, testInfo);
  const others = owner.getByRole('region', { name: 'Other Members' });
  await expect(others.getByRole('cell', { name: 'Ivan Invitee', exact: true })).toBeVisible();
  await expect(others.getByRole('row').filter({ hasText: 'Ivan Invitee' })).toContainText('Attached');
  // Whoever created the project is marked as such (issue 11, item 8); nobody else is.
  const you = owner.getByRole('region', { name: 'You' });
  await expect(you.getByRole('cell', { name: /^Olivia Owner/ })).toContainText('Project creator');
  await expect(others.getByText('Project creator')).toHaveCount(0);
  await expect(pending.getByRole('cell', { name: email })).toHaveCount(0);
  await owner.getByRole('link', { name: 'Remove Ivan Invitee' }).click();
  const confirm = owner.getByRole('dialog', { name: 'Remove Ivan Invitee?' });
  await expect(confirm).toBeVisible();
  await settled(owner, testInfo);
  // Seed 002: the pop-up's button reads Confirm.
  await confirm.getByRole('button', { name: 'Confirm' }).click();
  await expect(others.getByText('Nobody else is a member yet.')).toBeVisible();

  // Their next request is refused.
  await open(invitee, project, testInfo);
  await expect(invitee.getByRole('heading', { name: 'Project unavailable' })).toBeVisible();
  await expect(invitee.getByRole('heading', { name: /^Hosting/ })).toHaveCount(0);

  await ownerContext.close();
  await inviteeContext.close();
});

test('accept and decline from the Projects page, leave, and the last Owner stays', async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const ownerContext = await browser.newContext({ javaScriptEnabled: js });
  const memberContext = await browser.newContext({ javaScriptEnabled: js });
  const owner = await ownerContext.newPage();
  const member = await memberContext.newPage();
  const memberEmail = uniqueEmail('mina');

  await signUp(member, testInfo, 'Mina Member', memberEmail);
  await expect(member.getByRole('heading', { level: 1 })).toBeVisible();
  await signUp(owner, testInfo, 'Otto Owner', uniqueEmail('otto'));
  await expect(owner.getByRole('heading', { level: 1 })).toBeVisible();
  const first = await newProject(owner, testInfo, `Alpha ${Date.now()}`);
  const second = await newProject(owner, testInfo, `Beta ${Date.now()}`);
  await inviteFromMembersPage(owner, testInfo, first, memberEmail, 'member');
  await inviteFromMembersPage(owner, testInfo, second, memberEmail, 'developer');

  await open(member, '/projects', testInfo);
  const invitations = member.getByRole('region', { name: 'Project Invitations' });
  await expect(invitations.getByRole('row')).toHaveCount(3);
  await invitations.getByRole('link', { name: /^Accept invitation to Alpha/ }).click();
  const dialog = member.getByRole('dialog', { name: /^Join Alpha/ });
  await expect(dialog).toBeVisible();
  await settled(member, testInfo);
  await dialog.getByRole('button', { name: 'Accept' }).click();
  await expect(member.getByRole('status').filter({ hasText: 'You joined Alpha' })).toBeVisible();
  await expect(member.getByRole('region', { name: 'Shared Projects' }).getByRole('link', { name: /^Alpha/ })).toBeVisible();
  await settled(member, testInfo);
  await member.getByRole('button', { name: /^Decline invitation to Beta/ }).click();
  await expect(member.getByRole('status').filter({ hasText: 'You declined the invitation to Beta' })).toBeVisible();
  await expect(member.getByRole('region', { name: 'Project Invitations' })).toContainText('No invitations are waiting');

  // Leave Alpha (with confirmation); it disappears from Shared Projects.
  await open(member, `${first}/members`, testInfo);
  await member.getByRole('link', { name: 'Leave Project' }).click();
  const leave = member.getByRole('dialog', { name: 'Leave project?' });
  await expect(leave).toBeVisible();
  await settled(member, testInfo);
  await leave.getByRole('button', { name: 'Leave Project' }).click();
  await expect(member).toHaveURL(/\/projects$/);
  await expect(member.getByRole('region', { name: 'Shared Projects' })).toContainText('No one has shared');

  // The last Owner is told why they cannot leave, and the server refuses anyway.
  await open(owner, `${first}/members`, testInfo);
  const you = owner.getByRole('region', { name: 'You' });
  await expect(you).toContainText('You are the last Team Owner, so you cannot leave');
  await expect(you.getByRole('link', { name: 'Leave Project' })).toHaveCount(0);
  await open(owner, `${first}/members?leave=1`, testInfo);
  await owner.getByRole('dialog', { name: 'Leave project?' }).getByRole('button', { name: 'Leave Project' }).click();
  await expect(owner.getByRole('alert').filter({ hasText: 'last Team Owner' })).toBeVisible();

  await ownerContext.close();
  await memberContext.close();
});

test('making someone Owner asks the server’s own question in a dialog first', async ({ browser }, testInfo) => {
  const js = jsEnabled(testInfo);
  const ownerContext = await browser.newContext({ javaScriptEnabled: js });
  const adminContext = await browser.newContext({ javaScriptEnabled: js });
  const owner = await ownerContext.newPage();
  const admin = await adminContext.newPage();
  const adminEmail = uniqueEmail('ines');

  await signUp(owner, testInfo, 'Odile Owner', uniqueEmail('odile'));
  const project = await newProject(owner, testInfo, `Owners ${Date.now()}`);
  await inviteFromMembersPage(owner, testInfo, project, adminEmail, 'admin');
  await signUp(admin, testInfo, 'Ines Admin', adminEmail);
  await open(admin, inviteLink(await latestMailTo(testInfo, adminEmail, /\/invite\//)), testInfo);
  await expect(admin.getByRole('heading', { name: /^You joined / })).toBeVisible();

  await open(owner, `${project}/members`, testInfo);
  await chooseRole(owner, testInfo, 'Role of Ines Admin', 'owner');
  const dialog = owner.getByRole('dialog', { name: 'Change ownership?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("Change Ines Admin's role from Team Admin to Team Owner?");
  await settled(owner, testInfo);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(owner.getByRole('region', { name: 'Activity' })).toContainText('from Team Admin to Team Owner');

  // A crafted address with someone else's words shows no question at all.
  const forged = Buffer.from(
    JSON.stringify({ Conflict: [{ field: 'confirm', message: 'Security check: confirm to keep your account.' }, { field: 'confirmation', message: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }] }),
  )
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
  await open(owner, `${project}/members?__path=%2Fapi%2Fchange_role&__err=${encodeURIComponent(forged)}`, testInfo);
  await expect(owner.getByRole('region', { name: 'Other Members' })).toBeVisible();
  await expect(owner.getByRole('dialog')).toHaveCount(0);
  await expect(owner.getByText('Security check')).toHaveCount(0);

  await ownerContext.close();
  await adminContext.close();
});

test('Manage menu of a pending invitation: Change Role in a dialog, Resend, Cancel with Confirm', async ({ page }, testInfo) => {
  await signUp(page, testInfo, 'Mara Manager', uniqueEmail('mara'));
  const project = await newProject(page, testInfo, `Manage ${Date.now()}`);
  const email = uniqueEmail('pat');
  await inviteFromMembersPage(page, testInfo, project, email, 'developer');
  const pending = page.getByRole('region', { name: 'Members with Pending Invitations' });
  const row = pending.getByRole('row').filter({ hasText: email });

  // Change Role: a dialog with the invitation's role picked, then Save.
  await page.getByLabel(`Manage invitation for ${email}`).click();
  await row.getByRole('link', { name: 'Change Role' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change Role' });
  await expect(dialog).toBeVisible();
  await settled(page, testInfo);
  await expect(dialog.getByLabel('Role', { exact: true })).toHaveValue('developer');
  await expect(dialog).toContainText(email);
  await dialog.getByLabel('Role', { exact: true }).selectOption('accountant');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByLabel(`Role for ${email}`)).toHaveValue('accountant');
  await expect(page.getByRole('region', { name: 'Activity' })).toContainText(`changed the invitation to ${email} from Developer to Accountant`);

  // A forged address for an invitation of another project (or none) opens no dialog.
  await open(page, `${project}/members?change_role=00000000-0000-0000-0000-000000000000`, testInfo);
  await expect(pending).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Resend Invite from the same menu.
  await settled(page, testInfo);
  await page.getByLabel(`Manage invitation for ${email}`).click();
  await row.getByRole('button', { name: 'Resend Invite' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Invitation resent' })).toBeVisible();

  // Cancel Invite asks first; its button reads Confirm (seed 003).
  await settled(page, testInfo);
  await page.getByLabel(`Manage invitation for ${email}`).click();
  await row.getByRole('link', { name: 'Cancel Invite' }).click();
  const cancel = page.getByRole('dialog', { name: 'Cancel invitation?' });
  await expect(cancel).toBeVisible();
  await settled(page, testInfo);
  await cancel.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Invitation cancelled' })).toBeVisible();
  await expect(pending).toContainText('No invitations are waiting');

  // The emailed link now opens seed 001's informational page, naming the project.
  const link = inviteLink(await latestMailTo(testInfo, email, /\/invite\//));
  await open(page, link, testInfo);
  await expect(page.getByRole('heading', { name: 'Invitation unavailable' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText(`The invitation to Manage`);
  await expect(page.getByRole('alert')).toContainText('was cancelled');
});
