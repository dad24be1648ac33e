import { expect, test } from '@playwright/test';
import { PASSWORD, uniqueEmail } from './support';

// The pages are HTML whose forms post plainly; only the islands need the wasm. With JavaScript
// off, a person signs up, is refused with what they typed kept, saves, and the board's own form
// (not its drag and drop) is the same form.

test('with JavaScript off, an engineer signs up, is refused with what was typed kept, and saves', async ({ browser }) => {
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await page.goto('/signup');
  await page.locator('#role-engineer').check();
  await page.locator('#display_name').fill('Kavya Nair');
  await page.locator('#email').fill(uniqueEmail('nojs'));
  await page.locator('#password').fill(PASSWORD);
  await page.locator('form.signup-form button[type=submit]').click();
  await page.waitForURL('**/profile');

  await page.locator('#headline').fill('Analog layout engineer');
  await page.locator('#years_experience').fill('75');
  await page.locator('form.profile-form button[type=submit]').click();
  await page.waitForURL('**/profile*');
  await expect(page.locator('#years_experience-error')).toBeVisible();
  await expect(page.locator('.form-status .alert-error')).toBeVisible();
  await expect(page.locator('#headline')).toHaveValue('Analog layout engineer');
  await expect(page.locator('#years_experience')).toHaveValue('75');

  await page.locator('#years_experience').fill('7');
  await page.locator('form.profile-form button[type=submit]').click();
  await expect(page.locator('.form-status .alert-success')).toContainText('Your profile is saved.');
  await expect(page.locator('#headline')).toHaveValue('Analog layout engineer');
  // shown once: the next visit is the profile as saved, without the news
  await page.goto('/profile');
  await expect(page.locator('#years_experience')).toHaveValue('7');
  await expect(page.locator('.form-status .alert-success')).toHaveCount(0);
  // and nothing of it ran any script
  await expect(page.locator('body[data-hydrated]')).toHaveCount(0);
});
