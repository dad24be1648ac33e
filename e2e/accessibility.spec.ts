import { test } from '@playwright/test';
import { expectAccessible, open, SignUpPage, uniqueEmail } from './support';

const LANGUAGES = ['en', 'ja', 'hi'];
const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? '3100'}`;

test('public pages have no serious accessibility violations in any language', async ({ page, context }) => {
  for (const lang of LANGUAGES) {
    await context.addCookies([{ name: 'setubashi_lang', value: lang, url: BASE }]);
    for (const path of ['/', '/signup', '/login', '/forgot-password', '/forgot-password?sent=1', '/reset-password?token=x', '/verify-email?token=x', '/unsubscribe?user=1&topic=offers&key=x', '/join?token=x', '/privacy', '/no-such-page']) {
      await page.goto(path);
      await expectAccessible(page, `${lang} ${path}`);
    }
  }
});

test('engineer pages have no serious accessibility violations in any language', async ({ page, context }) => {
  await new SignUpPage(page).signUpEngineer('Meera Nair', uniqueEmail('a11y-engineer'));
  for (const lang of LANGUAGES) {
    await context.addCookies([{ name: 'setubashi_lang', value: lang, url: BASE }]);
    for (const path of ['/profile', '/profile/career', '/profile/documents', '/dashboard', '/jobs', '/jobs?q=組み込み&jlpt=mine', '/applications', '/notifications', '/account']) {
      await open(page, path);
      await expectAccessible(page, `${lang} ${path}`);
    }
  }
});

test('employer pages have no serious accessibility violations in any language', async ({ page, context }) => {
  await new SignUpPage(page).signUpEmployer('Sato Ken', uniqueEmail('a11y-employer'), {
    ja: 'ひかりAIラボ株式会社', prefecture: 'tokyo', sector: 'artificial_intelligence', size: 'medium',
  });
  for (const lang of LANGUAGES) {
    await context.addCookies([{ name: 'setubashi_lang', value: lang, url: BASE }]);
    for (const path of ['/organisation', '/roles', '/roles/new', '/applications', '/notifications', '/account']) {
      await open(page, path);
      await expectAccessible(page, `${lang} ${path}`);
    }
  }
});
