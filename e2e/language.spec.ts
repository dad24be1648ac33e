import { expect, test } from '@playwright/test';
import { open } from './support';

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
