import { expect, test } from '@playwright/test';
import { open, SignUpPage, uniqueEmail } from './support';

test('an employer signs up with its organisation and posts a role', async ({ page }) => {
  await new SignUpPage(page).signUpEmployer('Tanaka Yui', uniqueEmail('employer'), {
    ja: 'みらい半導体株式会社', prefecture: 'kumamoto', sector: 'semiconductors', size: 'large',
  });
  await open(page, '/organisation');
  await expect(page.locator('.alert-info')).toBeVisible(); // awaiting verification
  await expect(page.locator('#name_ja')).toHaveValue('みらい半導体株式会社');

  await open(page, '/roles/new');
  await page.locator('#title_ja').fill('デジタル回路設計エンジニア（RTL）');
  await page.locator('#title_en').fill('Digital design engineer (RTL)');
  await page.locator('#description_ja').fill('次世代ロジック半導体のRTL設計を担当します。');
  await page.locator('#required_skills-0-skill').fill('SystemVerilog');
  await page.locator('#required_skills-0-min_years').fill('3');
  await page.locator('#nice_skills-0-skill').fill('機械学習');
  await page.locator('#min_jlpt').selectOption('N3');
  // the band is upside down first: the form says so and keeps every field
  await page.locator('#salary_min_jpy').fill('9000000');
  await page.locator('#salary_max_jpy').fill('6000000');
  await page.locator('#prefecture').selectOption('kumamoto');
  await page.locator('form.role-form button[type=submit]').click();
  await expect(page.locator('#salary_max_jpy-error')).toBeVisible();
  await expect(page.locator('#title_ja')).toHaveValue('デジタル回路設計エンジニア（RTL）');
  await expect(page.locator('#required_skills-0-skill')).toHaveValue('SystemVerilog');

  await page.locator('#salary_min_jpy').fill('6000000');
  await page.locator('#salary_max_jpy').fill('9000000');
  await page.locator('form.role-form button[type=submit]').click();
  await page.waitForURL('**/roles');
  await expect(page.locator('table.data')).toContainText('Digital design engineer (RTL)');
});
