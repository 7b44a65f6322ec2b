import { expect, test } from '@playwright/test';
import { OPERATOR_TOKEN } from '../playwright.config';
import {
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

// Issue 10: an Accountant pays an invoice with the project's payment method and sees "payment
// pending" until the back office (the operator API) confirms, then "paid": live with
// JavaScript, on the next load without. Each role's access is tested in server/tests/invoices.rs.
test('an Accountant pays an invoice and sees it pending, then paid', async ({ browser, request }, testInfo) => {
  const js = jsEnabled(testInfo);
  const owner = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  const accountant = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await signUp(owner, testInfo, 'Olga Owner', uniqueEmail('olga'));
  const project = await newProject(owner, testInfo, `Billing ${Date.now()}`);
  const slug = project.split('/')[2];
  const issued = await request.post(`/api/operator/v1/projects/${slug}/invoices`, {
    ...api,
    data: {
      number: 'INV-2026-0042',
      issued_on: '2026-11-01',
      period_start: '2026-11-01',
      period_end: '2026-11-30',
      due_on: '2099-12-15',
      currency: 'EUR',
      lines: [
        { service: 'web-1', description: 'VPS 4 GB, November', amount_minor: 2400 },
        { service: 'backup', description: 'Backups, 50 GB', amount_minor: 350 },
      ],
    },
  });
  expect(issued.status()).toBe(201);
  const method = await request.put(`/api/operator/v1/projects/${slug}/payment-method`, { ...api, data: { label: 'card •••• 4242' } });
  expect(method.status()).toBe(204);

  await joinAs(owner, accountant, testInfo, project, 'Alex Accountant', 'accountant');

  await open(accountant, project, testInfo);
  await accountant.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Invoices' }).click();
  await expect(accountant.getByRole('heading', { level: 1, name: 'Invoices' })).toBeVisible();
  const row = accountant.getByRole('row').filter({ hasText: 'INV-2026-0042' });
  await expect(row.getByRole('cell', { name: 'EUR 27.50' })).toBeVisible();
  await expect(row.getByRole('cell', { name: 'Unpaid' })).toBeVisible();
  await row.getByRole('link', { name: 'INV-2026-0042' }).click();
  await expect(accountant.getByRole('heading', { level: 1, name: 'Invoice INV-2026-0042' })).toBeVisible();
  await settled(accountant, testInfo);
  const lines = accountant.getByRole('table', { name: 'Lines' });
  await expect(lines.getByRole('row')).toHaveCount(4);
  await expect(accountant.getByText('card •••• 4242')).toBeVisible();

  if (js) {
    await expectLive(accountant);
    await markDocument(accountant);
  }
  await accountant.getByRole('button', { name: 'Pay EUR 27.50' }).click();
  await expect(accountant.getByRole('status').filter({ hasText: 'Payment of INV-2026-0042 requested.' })).toBeVisible();
  await expect(accountant.getByText('Payment pending')).toBeVisible();
  await expect(accountant.getByRole('button', { name: /^Pay / })).toHaveCount(0);

  // The back office charges the card and confirms.
  const queue = await (await request.get('/api/operator/v1/payments', api)).json();
  const payment = queue.find((p: { project: string }) => p.project === slug);
  expect(payment.total_minor).toBe(2750);
  expect(payment.method).toBe('card •••• 4242');
  const confirmed = await request.put(`/api/operator/v1/payments/${payment.id}`, { ...api, data: { status: 'confirmed' } });
  expect(confirmed.status()).toBe(204);
  if (!js) {
    await accountant.reload();
  }
  const facts = accountant.getByRole('definition').filter({ hasText: /^Paid$/ });
  await expect(facts).toBeVisible();
  await expect(accountant.getByRole('table', { name: 'Payments' })).toContainText('Confirmed');
  if (js) {
    await expectSameDocument(accountant);
  }

  // Seed 003: the Accountant's Settings is billing only. A bad address is explained at its
  // field and nothing typed is lost; then the first account becomes the default.
  await accountant.getByRole('navigation', { name: 'Project sections' }).getByRole('link', { name: 'Settings' }).click();
  await expect(accountant.getByRole('heading', { level: 1, name: 'Billing' })).toBeVisible();
  await settled(accountant, testInfo);
  await expect(accountant.getByRole('heading', { name: 'Rename project' })).toHaveCount(0);
  const form = accountant.getByRole('form', { name: 'Add a billing account' });
  await form.getByLabel('Company name').fill('Acme B.V.');
  await form.getByLabel('VAT or registration number').fill('NL123456789B01');
  await form.getByLabel('Address').fill('Keizersgracht 1\n1015 CJ Amsterdam');
  await form.getByLabel('Billing email').fill('not an address');
  await form.getByRole('button', { name: 'Add billing account' }).click();
  await expect(form.getByLabel('Billing email')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Company name')).toHaveValue('Acme B.V.');
  await form.getByLabel('Billing email').fill('billing@acme.example');
  await form.getByRole('button', { name: 'Add billing account' }).click();
  const accounts = accountant.getByRole('list', { name: 'Billing accounts' });
  await expect(accounts.getByRole('listitem')).toHaveCount(1);
  await expect(accounts.getByRole('listitem').first()).toContainText('Acme B.V.');
  await expect(accounts.getByRole('listitem').first()).toContainText('Default');
  await expect(accounts.getByRole('listitem').first()).toContainText('1015 CJ Amsterdam');
});
