import { expect, test } from '@playwright/test';
import { jsEnabled, newProject, open, settled, signUp, uniqueEmail } from './support';

// A 2 × 1 PNG, as a logo file would arrive from a person's disk.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAADklEQVR4nGPgzvP/D8IADUsDjz2R9qgAAAAASUVORK5CYII=',
  'base64',
);

// Issue 12 (seed 004, Workspace Customization): the Owner picks a colour the page then uses,
// is told why a pale one is refused (with what was typed kept), uploads a logo that shows in
// the sidebar and the header, is told why an SVG is refused, and removes the logo again. Every
// refusal and who may do this is tested in server/tests/branding.rs.
test('the Owner sets the project’s colour and logo', async ({ page }, testInfo) => {
  const js = jsEnabled(testInfo);
  await signUp(page, testInfo, 'Bea Brand', uniqueEmail('bea'));
  const name = `Branded ${Date.now()}`;
  const project = await newProject(page, testInfo, name);
  await open(page, `${project}/settings`, testInfo);
  const appearance = page.getByRole('region', { name: 'Appearance' });

  // A pale colour: the measured ratio in words, and the typed code stays.
  const colour = appearance.getByRole('form', { name: 'Primary colour' });
  await colour.getByLabel('Hex code').fill('#FFD700');
  await colour.getByRole('button', { name: 'Save colour' }).click();
  await expect(colour.getByText(/contrast of 1\.4\d:1; it needs at least 4\.5:1/)).toBeVisible();
  await expect(colour.getByLabel('Hex code')).toHaveValue('#FFD700');

  // A swatch: the whole project takes it (the stylesheet sets --accent).
  await appearance.getByRole('button', { name: 'Use Green (#0B6E4F)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Primary colour saved.' })).toBeVisible();
  await expect(appearance.getByRole('button', { name: 'Use Green (#0B6E4F)' })).toHaveAttribute('aria-pressed', 'true');
  await expect
    .poll(() => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()))
    .toBe('#0B6E4F');

  // An SVG is refused with the reason, next to the field.
  await settled(page, testInfo);
  const upload = page.getByRole('form', { name: 'Upload logo' });
  await upload.getByLabel('Logo image').setInputFiles({
    name: 'logo.svg',
    mimeType: 'image/svg+xml',
    buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
  });
  await upload.getByRole('button', { name: 'Upload logo' }).click();
  await expect(page.getByRole('form', { name: 'Upload logo' }).getByRole('alert')).toContainText('SVG logos are not accepted');

  // A PNG: shown in the sidebar and in the header's project switcher.
  await settled(page, testInfo);
  await page.getByRole('form', { name: 'Upload logo' }).getByLabel('Logo image').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
  await page.getByRole('form', { name: 'Upload logo' }).getByRole('button', { name: 'Upload logo' }).click();
  const sidebarLogo = page.getByRole('navigation', { name: 'Project sections' }).getByRole('img', { name: `${name} logo` });
  await expect(sidebarLogo).toBeVisible();
  await expect.poll(() => sidebarLogo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2);
  await expect(page.getByRole('region', { name: 'Appearance' }).getByRole('img', { name: 'The current logo' })).toBeVisible();

  // Remove: the default is back.
  await settled(page, testInfo);
  await page.getByRole('button', { name: 'Remove logo' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Logo removed' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Project sections' }).getByRole('img')).toHaveCount(0);
  if (!js) {
    // Without JavaScript every step above was a plain form post and a new page.
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  }
});
