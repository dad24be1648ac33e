import { expect, test } from '@playwright/test';
import { logIn, open, SignUpPage, uniqueEmail } from './support';

test('the interface switches to Japanese and to Hindi and remembers the choice', async ({ page }) => {
  await open(page, '/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const english = await page.locator('h1').textContent();

  await page.getByRole('button', { name: '日本語' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  const japanese = await page.locator('h1').textContent();
  expect(japanese).not.toEqual(english);
  expect(japanese).toMatch(/[\u3040-\u30ff\u4e00-\u9faf]/);

  await open(page, '/signup'); // the cookie keeps the language on the next page
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');

  await page.getByRole('button', { name: 'हिन्दी' }).click();
  await page.waitForURL('**/signup');
  await expect(page.locator('html')).toHaveAttribute('lang', 'hi');
  await expect(page.locator('h1')).toHaveText(/[\u0900-\u097f]/);
  // no Latin-script sentence left in the main content of a Hindi page
  const main = await page.locator('main').innerText();
  expect(main).not.toMatch(/\b(the|and|your|with)\b/i);
});

test('signing in switches to the language saved with the account at once', async ({ page, browser }) => {
  const email = uniqueEmail('lang-saved');
  await open(page, '/');
  await page.getByRole('button', { name: '日本語' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await new SignUpPage(page).signUpEngineer('Arjun Rao', email);

  // another browser, in English: the sign-in page is English, the first page after it Japanese
  const english = await browser.newContext({ locale: 'en-US' });
  const other = await english.newPage();
  await open(other, '/login');
  await expect(other.locator('html')).toHaveAttribute('lang', 'en');
  await logIn(other, email);
  await other.waitForURL('**/dashboard');
  await expect(other.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(other.locator('h1')).toHaveText(/[\u3040-\u30ff\u4e00-\u9faf]/);
  await expect(other.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await english.close();
});
