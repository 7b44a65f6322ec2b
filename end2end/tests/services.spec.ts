import { expect, test } from '@playwright/test';
import { OPERATOR_TOKEN } from '../playwright.config';
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

const api = { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` } };

// Issue 10: a Developer asks for a restart from the service's page and follows it through the
// back office (the operator API, as the hosting company's systems call it) from queued to
// done: live with JavaScript, on the next load without. Every role's access to each action is
// tested in server/tests/services.rs.
test('a Developer restarts a service and follows it from queued to done', async ({ browser, request }, testInfo) => {
  const js = jsEnabled(testInfo);
  const owner = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  const dev = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await signUp(owner, testInfo, 'Oscar Owner', uniqueEmail('oscar'));
  const project = await newProject(owner, testInfo, `Services ${Date.now()}`);
  const slug = project.split('/')[2];
  await addService(request, slug, 'web-1');

  // Dana joins as Developer.
  await joinAs(owner, dev, testInfo, project, 'Dana Developer', 'developer');

  // Seed 003: a Developer has Services and no Settings.
  await open(dev, project, testInfo);
  const sections = dev.getByRole('navigation', { name: 'Project sections' });
  await expect(sections.getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await sections.getByRole('link', { name: 'Services' }).click();
  await expect(dev.getByRole('heading', { level: 1, name: 'Services' })).toBeVisible();
  const row = dev.getByRole('row').filter({ hasText: 'web-1' });
  await expect(row.getByRole('cell', { name: 'Running' })).toBeVisible();
  await expect(row.getByRole('cell', { name: 'VPS', exact: true })).toBeVisible();
  await row.getByRole('link', { name: 'web-1' }).click();
  await expect(dev.getByRole('heading', { level: 1, name: 'web-1' })).toBeVisible();
  await settled(dev, testInfo);
  const actions = dev.getByRole('region', { name: 'Actions' });
  // A running machine: no Start; cancelling is for Owners and Admins.
  await expect(actions.getByRole('button')).toHaveText(['Stop', 'Soft restart', 'Hard restart', 'Create backup']);

  if (js) {
    await expectLive(dev);
    await markDocument(dev);
  }
  await actions.getByRole('button', { name: 'Soft restart' }).click();
  await expect(dev.getByRole('status').filter({ hasText: '“Soft restart” of web-1 is queued.' })).toBeVisible();
  const latest = dev.getByRole('table', { name: 'Operations' }).getByRole('row').nth(1);
  await expect(latest).toContainText('Soft restart');
  await expect(latest).toContainText('Queued');
  await expect(latest).toContainText('Dana Developer');
  // One action at a time: nothing else is offered while it is with the back office.
  await expect(actions).toHaveCount(0);

  // The back office takes it from its queue and carries it out.
  const queue = await (await request.get('/api/operator/v1/operations', api)).json();
  const op = queue.find((o: { project: string; service_name: string }) => o.project === slug && o.service_name === 'web-1');
  expect(op.action).toBe('soft_restart');
  for (const [status, shown] of [['running', 'Running'], ['done', 'Done']]) {
    const res = await request.put(`/api/operator/v1/operations/${op.id}`, { ...api, data: { status } });
    expect(res.status()).toBe(204);
    if (!js) {
      await dev.reload();
    }
    await expect(latest).toContainText(shown);
  }
  await expect(actions.getByRole('button', { name: 'Soft restart' })).toBeVisible();
  if (js) {
    await expectSameDocument(dev);
  }

  // Seed 001 "SSH configuration": Dana adds her public key; a private key is refused with
  // the reason, and what was typed stays.
  await dev.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'SSH keys' }).click();
  await expect(dev.getByRole('heading', { level: 1, name: 'SSH keys' })).toBeVisible();
  await settled(dev, testInfo);
  const addKey = dev.getByRole('form', { name: 'Add an SSH key' });
  await addKey.getByLabel('Name').fill('dana-laptop');
  await addKey.getByLabel('Public key').fill('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA');
  await addKey.getByRole('button', { name: 'Add SSH key' }).click();
  await expect(addKey.getByText('This is a private key.')).toBeVisible();
  await expect(addKey.getByLabel('Name')).toHaveValue('dana-laptop');
  await addKey.getByLabel('Public key').fill(
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILM+rvN+ot98qgEN796jTiQfZfG1KaT0PtFDJ/XFSqti dana@laptop',
  );
  await addKey.getByRole('button', { name: 'Add SSH key' }).click();
  const keyRow = dev.getByRole('row').filter({ hasText: 'dana-laptop' });
  await expect(keyRow.getByRole('cell', { name: /^SHA256:/ })).toBeVisible();
  await expect(keyRow.getByRole('button', { name: 'Remove dana-laptop' })).toBeVisible();

  // The Dashboard counts it among the services by status.
  await open(owner, project, testInfo);
  const figures = owner.getByRole('definition').filter({ hasText: '1 running' });
  await expect(figures).toBeVisible();
});
