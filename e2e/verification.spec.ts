import { expect, test } from '@playwright/test';
import { confirmEmail, expectAccessible, open, SignUpPage, uniqueEmail } from './support';

test('a new account is asked to prove its address, and the banner goes once the link is followed', async ({ page }) => {
  const email = uniqueEmail('unproven');
  await new SignUpPage(page).signUpEngineer('Divya Menon', email, false);

  const banner = page.locator('.verify-banner');
  await expect(banner).toContainText(email);
  await expect(banner).toContainText('not apply to a role');
  await expectAccessible(page, 'the verification banner');
  await banner.getByRole('button', { name: 'Send the link again' }).click();
  await expect(banner).toContainText('A new link is on its way');

  await confirmEmail(page, email);
  await expect(page.locator('main p.notice')).toContainText('your e-mail address is confirmed');
  await open(page, '/profile');
  await expect(page.locator('.verify-banner')).toHaveCount(0);
});
