import { expect, Page, test } from '@playwright/test';
import { SignUpPage, expectAccessible, newPage, open, uniqueEmail, verifyOrganisation } from './support';

// Ready for Japan, in two browser contexts: the employer records its sponsorship profile and
// sees the bonus points; after the offer, the engineer sees the points at the offer's salary,
// moves them with the what-if panel (computed in the browser), and ticks a document of the
// Certificate of Eligibility checklist; the employer downloads the candidate's 履歴書, without
// contact details since the engineer did not share them.

const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? '3100'}`;

test('the sponsorship profile, the points at the offer with a what-if, the checklist and the documents', async ({ browser }) => {
  test.setTimeout(180_000);
  const employer = await newPage(browser);
  await new SignUpPage(employer).signUpEmployer('Kato Aya', uniqueEmail('sponsor'), {
    ja: 'さくら半導体株式会社', prefecture: 'kumamoto', sector: 'semiconductors', size: 'medium',
  });
  // the sponsorship profile: an SME with innovation support and R&D over 3%
  await expect(employer.locator('.bonus-points')).toBeVisible();
  await employer.locator('#capital_man_yen').fill('9,000');
  await employer.locator('#employees').fill('180');
  await employer.locator('#innovation_programme').fill('経営革新計画（熊本県, 2025）');
  await employer.locator('#rd_over_3_percent').check();
  await employer.locator('#coe_category').selectOption('3');
  await employer.locator('#pays_visa_fees').check();
  await employer.locator('form.sponsorship-form button[type=submit]').click();
  await expect(employer.locator('.sponsorship-status')).toHaveAttribute('data-sme', 'true');
  await expect(employer.locator('.bonus-points')).toContainText('25');
  await expect(employer.locator('.bonus-items li[data-item="sme_research_spending"]')).toBeVisible();
  await open(employer, '/organisation');
  await expect(employer.locator('#employees')).toHaveValue('180');
  await expectAccessible(employer, 'organisation with sponsorship');

  const me = await (await employer.request.get('/api/v1/me')).json();
  const role = await employer.request.post('/api/v1/roles', {
    data: {
      title_ja: '半導体プロセスエンジニア', title_en: 'Semiconductor process engineer',
      description_en: 'Yield improvement on a 28 nm line.', required_skills: [{ skill: 'Python', min_years: 1 }],
      min_jlpt: 'N4', working_language: 'mixed', salary_min_jpy: 6000000, salary_max_jpy: 9000000,
      prefecture: 'kumamoto', remote_policy: 'onsite', visa_sponsorship: true, apply_from_abroad: true,
    },
  });
  expect(role.status()).toBe(201);
  const roleId = (await role.json()).id;
  verifyOrganisation(me.organisation_id);

  const engineer = await newPage(browser);
  await new SignUpPage(engineer).signUpEngineer('Arjun Menon', uniqueEmail('arjun'));
  expect((await engineer.request.put('/api/v1/me/profile', {
    data: {
      full_name: 'Arjun Menon', years_experience: 6, jlpt_level: 'N3', indian_state: 'kl', degree: 'masters',
      date_of_birth: '1995-04-02', skills: [{ skill: 'python', years: 5 }],
    },
  })).status()).toBe(200);
  // the role links to the company's public page, which says what it offers a hire from abroad
  await open(engineer, `/jobs/${roleId}`);
  await engineer.locator(`a[href="/companies/${me.organisation_id}"]`).first().click();
  await engineer.waitForURL(`**/companies/${me.organisation_id}`);
  await expect(engineer.locator('h1')).toHaveText('さくら半導体株式会社');
  await expect(engineer.locator('.sponsorship-practice')).toContainText('visa');
  await expect(engineer.locator(`.company-roles a[href="/jobs/${roleId}"]`)).toBeVisible();
  await expectAccessible(engineer, 'company page');
  const applied = await engineer.request.post(`/api/v1/roles/${roleId}/applications`, {
    data: { note: 'Process data and Python.', share_contact: false },
  });
  expect(applied.status()).toBe(201);
  const applicationId = (await applied.json()).summary.id;
  const path = `/applications/${applicationId}`;
  for (const body of [
    { to: 'shortlisted' },
    { to: 'interview', details: { interview_format: 'video' } },
    { to: 'offer_extended', details: { salary_jpy: 7200000, employment_type: 'permanent', start_date: '2027-04-01', visa_route: 'highly_skilled_professional' } },
  ]) {
    expect((await employer.request.post(`/api/v1/applications/${applicationId}/moves`, { data: body })).status()).toBe(200);
  }

  // master's 20, six years 10, age 31 10, ¥7.2M 25, and the employer's 25: 90
  await open(engineer, path);
  await expect(engineer.locator('.points-at-offer')).toHaveAttribute('data-points', '90');
  await expect(engineer.locator('.jlpt-evidence')).toContainText('self-declared');
  // the what-if panel rescores in the browser: ¥10M adds 15, N1 adds 15, ¥20M with a master's is J-Skip
  const total = engineer.locator('.what-if-total');
  await expect(total).toHaveAttribute('data-points', '90');
  await engineer.locator('#what-if-salary').fill('1000');
  await expect(total).toHaveAttribute('data-points', '105');
  await engineer.locator('#what-if-jlpt').selectOption('N1');
  await expect(total).toHaveAttribute('data-points', '120');
  await expect(engineer.locator('.what-if .j-skip')).toHaveCount(0);
  await engineer.locator('#what-if-salary').fill('2000');
  await expect(engineer.locator('.what-if .j-skip')).toBeVisible();
  await engineer.locator('#what-if-salary').fill('250');
  await expect(engineer.locator('.what-if .alert-info')).toBeVisible(); // under the ¥3M floor

  // the checklist: category 3 with the points sheet; the engineer ticks the photo
  const photo = engineer.locator('.checklist li[data-item="photo"]');
  await expect(photo).toHaveAttribute('data-done', 'false');
  await expect(engineer.locator('.checklist li[data-item="return_envelope"] button')).toHaveCount(0);
  await photo.locator('button').click();
  await expect(photo).toHaveAttribute('data-done', 'true');
  for (const lang of ['en', 'ja', 'hi']) {
    await engineer.context().addCookies([{ name: 'setubashi_lang', value: lang, url: BASE }]);
    await open(engineer, path);
    await expect(engineer.locator('.checklist')).toBeVisible();
    await expectAccessible(engineer, `${lang} application with readiness (engineer)`);
  }

  // the employer sees the tick and downloads the 履歴書, without the unshared contact details
  await open(employer, path);
  await expect(employer.locator('.checklist li[data-item="photo"]')).toHaveAttribute('data-done', 'true');
  await expect(employer.locator('.contact-left-out')).toBeVisible();
  const [download] = await Promise.all([
    employer.waitForEvent('download'),
    employer.locator(`a[href="/api/v1/applications/${applicationId}/documents/rirekisho.pdf"]`).click(),
  ]);
  expect(download.suggestedFilename()).toBe('rirekisho.pdf');
  const fs = await import('node:fs/promises');
  const pdf = await fs.readFile(await download.path());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  await expectAccessible(employer, 'application with readiness (employer)');
});
