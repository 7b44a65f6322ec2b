import { expect, test } from '@playwright/test';
import { OPERATOR_TOKEN } from '../playwright.config';
import { expectLive, expectSameDocument, jsEnabled, markDocument, newProject, open, settled, signUp, uniqueEmail } from './support';

// Seed 001: Support is open to every role (each role's access is tested in
// server/tests/tickets.rs); here a person opens a ticket from the sidebar, the hosting
// company's staff answer through the operator API, and the answer shows up on the open page,
// live with JavaScript and on the next load without.
test('a ticket opened from the sidebar gets the staff reply, live', async ({ page, request }, testInfo) => {
  await signUp(page, testInfo, 'Tess Ticket', uniqueEmail('tess'));
  const project = await newProject(page, testInfo, `Support ${Date.now()}`);
  await page.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Tickets' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Support tickets' })).toBeVisible();
  await settled(page, testInfo);
  await expect(page.getByText('No tickets yet.')).toBeVisible();

  // A subject but no message: a clear error at the field, and the subject is kept.
  const form = page.getByRole('form', { name: 'Open a ticket' });
  await form.getByLabel('Subject').fill('VPS does not boot');
  await form.getByRole('button', { name: 'Open ticket' }).click();
  await expect(form.getByText('Write a message.')).toBeVisible();
  await expect(form.getByLabel('Subject')).toHaveValue('VPS does not boot');

  await form.getByLabel('Message').fill('Since the kernel update.\nIt hangs at "Loading initrd".');
  await form.getByRole('button', { name: 'Open ticket' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '#1 VPS does not boot' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Ticket #1 is open.' })).toBeVisible();
  await settled(page, testInfo);
  const thread = page.getByRole('list', { name: 'Messages' });
  await expect(thread.getByRole('listitem')).toHaveCount(1);

  // The back office answers.
  if (jsEnabled(testInfo)) {
    await expectLive(page);
    await markDocument(page);
  }
  const slug = project.split('/')[2];
  const res = await request.post(`/api/operator/v1/projects/${slug}/tickets/1/replies`, {
    headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` },
    data: { staff_name: 'Sam from Support', body: 'We rolled the kernel back. Please try again.' },
  });
  expect(res.status()).toBe(201);
  if (!jsEnabled(testInfo)) {
    await page.reload();
  }
  await expect(thread.getByRole('listitem')).toHaveCount(2);
  await expect(thread.getByRole('listitem').nth(1)).toContainText('Sam from Support');
  await expect(thread.getByRole('listitem').nth(1)).toContainText('We rolled the kernel back.');
  await expect(page.getByText('Awaiting your reply')).toBeVisible();
  if (jsEnabled(testInfo)) {
    await expectSameDocument(page);
  }

  // The customer answers and closes it.
  const reply = page.getByRole('form', { name: 'Reply' });
  await reply.getByLabel('Message').fill('It boots now, thank you!');
  await reply.getByRole('button', { name: 'Send reply' }).click();
  await expect(thread.getByRole('listitem')).toHaveCount(3);
  await expect(reply.getByLabel('Message')).toHaveValue('');
  await page.getByRole('button', { name: 'Close ticket' }).click();
  await expect(page.getByRole('button', { name: 'Reopen ticket' })).toBeVisible();
  await open(page, `${project}/tickets`, testInfo);
  const row = page.getByRole('row').filter({ hasText: '#1 VPS does not boot' });
  await expect(row.getByRole('cell', { name: 'Closed' })).toBeVisible();
  await expect(row.getByRole('cell', { name: '3', exact: true })).toBeVisible();
});
