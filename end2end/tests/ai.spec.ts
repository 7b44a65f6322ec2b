import { expect, test } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsEnabled, newProject, open, settled, signUp, uniqueEmail } from './support';

const KEY = 'sk-e2e-secret-abcd';

/// A real OpenAI-compatible server on loopback, as a provider answers: 401 with its reason for a
/// wrong key, "OK" to the connection test, a JSON draft when asked for a ticket.
async function fakeProvider(): Promise<{ base: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url !== '/v1/chat/completions' || req.headers.authorization !== `Bearer ${KEY}`) {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: { message: 'Incorrect API key provided.' } }));
        return;
      }
      const prompt: string = JSON.parse(raw).messages?.[1]?.content ?? '';
      const content = prompt.includes('What is wrong')
        ? JSON.stringify({ subject: 'Mail server rejects logins', body: 'Since 9:00 nobody can sign in to webmail.' })
        : 'OK';
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}/v1`, close: () => server.close() };
}

// Issue 12 (seed 004, AI Settings): the Owner sets a provider up (a missing base URL is refused
// with what was typed kept), the key shows only by its last four characters, the connection test
// reports the provider's answer, and on Tickets "Draft with AI" fills the form to edit before
// sending (in the app; the form is written by hand without JavaScript).
test('AI settings, the connection test and a drafted ticket', async ({ page }, testInfo) => {
  const js = jsEnabled(testInfo);
  const provider = await fakeProvider();
  try {
    await signUp(page, testInfo, 'Ida Owner', uniqueEmail('ida'));
    const project = await newProject(page, testInfo, `AI ${Date.now()}`);
    await open(page, `${project}/tickets`, testInfo);
    await expect(page.getByRole('form', { name: 'Open a ticket' })).toBeVisible();
    await expect(page.getByRole('form', { name: 'Draft with AI' })).toHaveCount(0);

    await open(page, `${project}/settings`, testInfo);
    const form = page.getByRole('form', { name: 'AI settings' });
    await form.getByLabel('Provider').selectOption('custom');
    await form.getByLabel('Model').fill('e2e-model');
    await form.getByLabel('API key').fill(KEY);
    await form.getByRole('button', { name: 'Save AI settings' }).click();
    await expect(form.getByText('Custom needs a base URL')).toBeVisible();
    await expect(form.getByLabel('Model')).toHaveValue('e2e-model');

    await settled(page, testInfo);
    await form.getByLabel('Base URL').fill(provider.base);
    await form.getByLabel('API key').fill(KEY);
    await form.getByRole('button', { name: 'Save AI settings' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'AI settings saved.' })).toBeVisible();
    await expect(form.getByText(/^Stored: …abcd, set /)).toBeVisible();
    await expect(form.getByLabel('API key')).toHaveValue('');
    await expect(page.locator('body')).not.toContainText('secret');

    await settled(page, testInfo);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Connected: Custom (e2e-model) answered “OK”.' })).toBeVisible();

    await open(page, `${project}/tickets`, testInfo);
    const ticket = page.getByRole('form', { name: 'Open a ticket' });
    if (js) {
      await settled(page, testInfo);
      const draft = page.getByRole('form', { name: 'Draft with AI' });
      await draft.getByLabel('Describe the problem').fill('webmail login broken since 9');
      await draft.getByRole('button', { name: 'Draft with AI' }).click();
      await expect(ticket.getByLabel('Subject')).toHaveValue('Mail server rejects logins');
      await expect(ticket.getByLabel('Message')).toHaveValue('Since 9:00 nobody can sign in to webmail.');
      // The person edits it, then sends it.
      await ticket.getByLabel('Subject').fill('Webmail rejects logins');
      await ticket.getByRole('button', { name: 'Open ticket' }).click();
      await expect(page.getByRole('heading', { level: 1, name: /Webmail rejects logins/ })).toBeVisible();
    } else {
      await expect(page.getByRole('form', { name: 'Draft with AI' })).toHaveCount(0);
      await expect(ticket.getByLabel('Subject')).toBeVisible();
    }
  } finally {
    provider.close();
  }
});
