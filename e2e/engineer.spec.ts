import { expect, test } from '@playwright/test';
import { expectAccessible, logIn, logOut, open, pngBytes, SignUpPage, uniqueEmail } from './support';

test('an engineer signs up, fills a profile, logs out and in again, and finds it saved', async ({ page }) => {
  const email = uniqueEmail('engineer');
  await new SignUpPage(page).signUpEngineer('Priya Sharma', email);
  await open(page, '/profile');

  await page.locator('#full_name').fill('Priya Sharma');
  await page.locator('#headline').fill('Embedded engineer, automotive firmware');
  await page.locator('#years_experience').fill('6');
  await page.locator('#jlpt_level').selectOption('N3');
  await page.locator('#jlpt_certified').check();
  // skills typed in Japanese and Hindi resolve to the same taxonomy as English
  await page.locator('#skills-0-skill').fill('組み込み');
  await page.locator('#skills-0-years').fill('5');
  await page.locator('#skills-1-skill').fill('Rust');
  await page.locator('#skills-1-years').fill('2');
  await page.locator('#languages-0-language').selectOption('kn');
  await page.locator('#languages-0-level').selectOption('native');
  await page.locator('#indian_state').selectOption('ka');
  await page.locator('#city').fill('Bengaluru');
  await page.locator('#desired_salary_jpy').fill('6,500,000');
  await page.locator('form.profile-form button[type=submit]').click();
  await expect(page.locator('.alert-success')).toBeVisible();

  await logOut(page);
  await logIn(page, email);
  await page.waitForURL('**/dashboard');
  await open(page, '/profile');
  await expect(page.locator('#headline')).toHaveValue('Embedded engineer, automotive firmware');
  await expect(page.locator('#jlpt_level')).toHaveValue('N3');
  await expect(page.locator('#skills-0-skill')).toHaveValue('Embedded software');
  await expect(page.locator('#skills-1-skill')).toHaveValue('Rust');
  await expect(page.locator('#indian_state')).toHaveValue('ka');
  await expect(page.locator('#desired_salary_jpy')).toHaveValue('6500000');
});

test('a bad profile shows translated errors beside the fields and keeps what was typed', async ({ page }) => {
  await new SignUpPage(page).signUpEngineer('Arjun Rao', uniqueEmail('typo'));
  await open(page, '/profile');
  await page.locator('#headline').fill('Verification engineer');
  await page.locator('#years_experience').fill('75');
  // a skill the list does not know is kept as written, but not one longer than 60 characters
  const tooLong = 'a tool name typed far longer than any skill name could ever be, surely';
  await page.locator('#skills-0-skill').fill(tooLong);
  await page.locator('form.profile-form button[type=submit]').click();
  await expect(page.locator('#years_experience-error')).toBeVisible();
  await expect(page.locator('#skills-0-skill-error')).toBeVisible();
  await expect(page.locator('#years_experience')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#headline')).toHaveValue('Verification engineer');
  await expect(page.locator('#skills-0-skill')).toHaveValue(tooLong);
});

test('a skill not in the list is kept as written; a degree and a job are saved, and the 履歴書 downloads', async ({ page }) => {
  await new SignUpPage(page).signUpEngineer('Meera Iyer', uniqueEmail('career'));
  await open(page, '/profile');
  await page.locator('#years_experience').fill('8');
  await page.locator('#skills-0-skill').fill('Acme FlowBuilder');
  await page.locator('#skills-0-years').fill('3');
  await page.locator('form.profile-form button[type=submit]').click();
  await expect(page.locator('.alert-success')).toBeVisible();
  await expect(page.locator('.free-skills')).toContainText('Acme FlowBuilder');

  await page.locator('a[href="/profile/career"]').click();
  await page.waitForURL('**/profile/career');
  await page.locator('#education-0-level').selectOption('masters');
  await page.locator('#education-0-field').fill('VLSI Design');
  await page.locator('#education-0-institution').fill('Tohoku University');
  await page.locator('#education-0-country').fill('JP');
  await page.locator('#education-0-started').fill('2016-10');
  await page.locator('#education-0-ended').fill('2018-09');
  await page.locator('#employment-0-employer').fill('Tata Elxsi');
  await page.locator('#employment-0-title').fill('Embedded software engineer');
  await page.locator('#employment-0-country').fill('IN');
  await page.locator('#employment-0-started').fill('2018-10');
  await page.locator('#employment-0-skills').fill('AUTOSAR, 組込みC');
  await page.locator('form.career-form button[type=submit]').click();
  await expect(page.locator('.alert-success')).toBeVisible();

  await open(page, '/profile/career');
  await expect(page.locator('#education-0-institution')).toHaveValue('Tohoku University');
  await expect(page.locator('#employment-0-skills')).toHaveValue('AUTOSAR, Embedded C');
  await expect(page.locator('#employment-0-ended')).toHaveValue('');

  // the documents page offers a katakana reading of the name, and the 履歴書 downloads as PDF
  await open(page, '/profile/documents');
  await expect(page.locator('#name_kana')).toHaveValue('ミーラ イイェル');
  await page.locator('#name_kana').fill('ミーラ アイヤー');
  await page.locator('#era').selectOption('japanese');
  await page.locator('form.documents-form button[type=submit]').click();
  await expect(page.locator('.alert-success')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('a[href="/api/v1/me/documents/rirekisho.pdf"]').click(),
  ]);
  expect(download.suggestedFilename()).toBe('rirekisho.pdf');
  const fs = await import('node:fs/promises');
  const pdf = await fs.readFile(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

  // a photo for the 履歴書: something that is not an image is refused, a PNG is kept and shown
  await page.locator('#photo-file').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: Buffer.from('<svg/>') });
  await page.locator('form.photo-form button[type=submit]').click();
  await expect(page.locator('.photo [data-outcome="refused"]')).toBeVisible();
  await expect(page.locator('img.photo-preview')).toHaveCount(0);
  await page.locator('#photo-file').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: pngBytes(300, 400) });
  await page.locator('form.photo-form button[type=submit]').click();
  await expect(page.locator('.photo [data-outcome="saved"]')).toBeVisible();
  await expect(page.locator('img.photo-preview')).toHaveJSProperty('naturalWidth', 300);
  await expectAccessible(page, 'documents page with a photo');

  // the 履歴書's first page as poppler renders it, looked at in the browser beside the profile:
  // an A4 page with ink on it (text, rules and the photo), kept in the report for a person
  const [withPhoto] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('a[href="/api/v1/me/documents/rirekisho.pdf"]').click(),
  ]);
  const { execFileSync } = await import('node:child_process');
  const root = test.info().outputPath('rirekisho-page-1');
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', await withPhoto.path(), root]);
  const rendered = await fs.readFile(`${root}.png`);
  await test.info().attach('rirekisho page 1', { body: rendered, contentType: 'image/png' });
  await open(page, '/profile');
  await test.info().attach('profile', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
  // looked at on a blank page of its own: the site's CSP rightly refuses data: images
  const viewer = await page.context().newPage();
  const ink = await viewer.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [image.naturalWidth, image.naturalHeight];
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let dark = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] + pixels[i + 1] + pixels[i + 2] < 384) dark++;
    return { width: image.naturalWidth, height: image.naturalHeight, dark: dark / (pixels.length / 4) };
  }, rendered.toString('base64'));
  expect(ink.height / ink.width).toBeCloseTo(297 / 210, 2); // A4, portrait
  expect(ink.dark).toBeGreaterThan(0.02);
  await viewer.close();
});

test('a wrong password is refused with the same message for unknown accounts', async ({ page }) => {
  await open(page, '/login');
  await page.locator('#email').fill('nobody-here@example.in');
  await page.locator('#password').fill('wrong-password-123');
  await page.locator('form.login-form button[type=submit]').click();
  await expect(page.locator('.alert-error')).toContainText('not correct');
});
