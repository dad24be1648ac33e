import { expect, Page, test } from '@playwright/test';
import { SignUpPage, expectAccessible, newPage, open, uniqueEmail, verifyOrganisation } from './support';

// The whole mobility path in two browser contexts: an engineer applies; the employer shortlists,
// interviews and offers; the engineer accepts; the employer records the certificate and the
// visa; the engineer confirms arrival; both see the same timeline.

/** Makes a move from the application page and waits for the page to show the new stage. */
async function move(page: Page, to: string, fill?: (form: ReturnType<Page['locator']>) => Promise<void>) {
  const form = page.locator(`details[data-move="${to}"]`);
  await form.locator('summary').click();
  if (fill) await fill(form);
  await form.locator('button[type=submit]').click();
  await expect(page.locator('.stage-now')).toHaveAttribute('data-stage', to);
}

async function timeline(page: Page): Promise<string[]> {
  return page.locator('ol.timeline li').evaluateAll((items) => items.map((li) => li.getAttribute('data-to') ?? ''));
}

test('an application travels from Bengaluru to a residence card, seen alike by both sides', async ({ browser }) => {
  test.setTimeout(180_000);
  const employer = await newPage(browser);
  await new SignUpPage(employer).signUpEmployer('Tanaka Yui', uniqueEmail('hr'), {
    ja: 'みらいEV株式会社', prefecture: 'aichi', sector: 'ev_power_electronics', size: 'large',
  });
  const me = await (await employer.request.get('/api/v1/me')).json();
  const role = await employer.request.post('/api/v1/roles', {
    data: {
      title_ja: 'BMS組み込みエンジニア', title_en: 'Embedded BMS engineer',
      description_ja: '電池管理システムのファームウェア開発', description_en: 'Battery management firmware in C and Rust.',
      required_skills: [{ skill: '組み込み', min_years: 2 }, { skill: 'Rust', min_years: 1 }],
      min_jlpt: 'N4', working_language: 'mixed', salary_min_jpy: 6000000, salary_max_jpy: 9000000,
      prefecture: 'aichi', remote_policy: 'hybrid', visa_sponsorship: true, apply_from_abroad: true,
    },
  });
  expect(role.status()).toBe(201);
  const roleId = (await role.json()).id;
  verifyOrganisation(me.organisation_id);

  const engineer = await newPage(browser);
  await new SignUpPage(engineer).signUpEngineer('Priya Sharma', uniqueEmail('priya'));
  const profile = await engineer.request.put('/api/v1/me/profile', {
    data: {
      full_name: 'Priya Sharma', headline: 'Embedded engineer, BMS firmware', years_experience: 6,
      jlpt_level: 'N3', indian_state: 'ka', city: 'Bengaluru', degree: 'masters', date_of_birth: '1996-05-14',
      skills: [{ skill: 'embedded-software', years: 5 }, { skill: 'rust', years: 3 }],
    },
  });
  expect(profile.status()).toBe(200);

  // the engineer finds the role with a Japanese keyword, sees why it fits, and applies
  await expect(async () => {
    await open(engineer, '/jobs?q=組み込み');
    await expect(engineer.locator(`a[href="/jobs/${roleId}"]`)).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expectAccessible(engineer, 'role search');
  await engineer.locator(`a[href="/jobs/${roleId}"]`).first().click();
  await expect(engineer.locator('h1')).toContainText('Embedded BMS engineer');
  await expect(engineer.locator('.fit')).toContainText('Rust');
  await expect(engineer.locator('.points').first()).toBeVisible();
  await expectAccessible(engineer, 'role page');
  await engineer.locator('#apply-note').fill('I write BMS firmware in Rust and would love to work in Aichi.');
  // the consent names the employer that will see the address
  await expect(engineer.locator('label[for=apply-share-contact]')).toContainText('may see my e-mail address');
  await engineer.locator('#apply-share-contact').check();
  await engineer.locator('section.apply button[type=submit]').click();
  await engineer.waitForURL(/\/applications\/\d+$/);
  const applicationPath = new URL(engineer.url()).pathname;
  await expect(engineer.locator('.stage-now')).toHaveAttribute('data-stage', 'applied');

  // the employer sees it on the pipeline board, opens it and moves it forward
  await open(employer, `/roles/${roleId}/pipeline`);
  await expect(employer.locator('[data-stage="applied"] .count')).toHaveText('1');
  await expectAccessible(employer, 'pipeline board');
  await employer.locator(`[data-stage="applied"] a[href="${applicationPath}"]`).click();
  await expect(employer.locator('.stage-now')).toHaveAttribute('data-stage', 'applied');
  await expect(employer.locator('.status-panel .facts')).toContainText('@example.in'); // contact, since the engineer consented
  await expectAccessible(employer, 'application (employer)');
  await move(employer, 'shortlisted');
  await move(employer, 'interview', async (form) => {
    await form.locator('#interview_format').selectOption('video');
    await form.locator('#rating').fill('4');
    await form.locator('textarea[name="draft[note]"]').fill('社内用メモ：日本語の会話はまだ弱い');
    await form.locator('textarea[name="draft[message]"]').fill('Thank you for the interview; we will write within a week.');
  });
  // the organisation reads its own assessment, marked as internal
  await expect(employer.locator('.timeline')).toContainText('社内用メモ');
  // an offer without its terms is refused with the reasons, nothing typed is lost
  const offer = employer.locator('details[data-move="offer_extended"]');
  await offer.locator('summary').click();
  await offer.locator('#salary_jpy').fill('7,800,000');
  await offer.locator('button[type=submit]').click();
  await expect(employer.locator('.form-status .alert-error')).toBeVisible();
  await expect(offer.locator('#salary_jpy')).toHaveValue('7,800,000');
  await offer.locator('#employment_type').selectOption('permanent');
  await offer.locator('#start_date').fill('2027-04-01');
  await offer.locator('button[type=submit]').click();
  await expect(employer.locator('.stage-now')).toHaveAttribute('data-stage', 'offer_extended');

  // the engineer accepts, choosing the visa route
  await open(engineer, applicationPath);
  await expect(engineer.locator('.notifications-link')).not.toHaveAttribute('data-unread', '0');
  // reading them all clears the header's count at once
  await engineer.locator('.notifications-link').click();
  await engineer.waitForURL('**/notifications');
  await engineer.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(engineer.locator('.notifications-link')).toHaveAttribute('data-unread', '0');
  await open(engineer, applicationPath);
  await move(engineer, 'offer_accepted', async (form) => {
    await form.locator('#visa_route').selectOption('highly_skilled_professional');
  });

  // the employer records the certificate and the visa
  await open(employer, applicationPath);
  for (const to of ['coe_filed', 'coe_issued', 'visa_applied', 'visa_issued']) {
    await move(employer, to);
  }
  await expect(employer.locator('.clocks')).toBeVisible();

  // the engineer confirms arrival; the registration clock starts
  await open(engineer, applicationPath);
  await move(engineer, 'arrived');
  // the certificate's clock is met; residence registration is due in 14 days
  await expect(engineer.locator('.status-panel .clock-met')).toBeVisible();
  await expect(engineer.locator('.status-panel .clock-warning')).toContainText('14');
  await expectAccessible(engineer, 'application (engineer)');
  // the candidate reads the message addressed to them, never the internal note or the rating
  await expect(engineer.locator('.timeline')).toContainText('we will write within a week');
  await expect(engineer.locator('.timeline')).not.toContainText('社内用メモ');

  await open(employer, applicationPath);
  const expected = ['applied', 'shortlisted', 'interview', 'offer_extended', 'offer_accepted',
    'coe_filed', 'coe_issued', 'visa_applied', 'visa_issued', 'arrived'];
  expect(await timeline(engineer)).toEqual(expected);
  expect(await timeline(employer)).toEqual(expected);

  // both sides' lists and notifications
  await open(engineer, '/applications');
  await expect(engineer.locator('table.applications')).toContainText('Embedded BMS engineer');
  await expectAccessible(engineer, 'my applications');
  await open(engineer, '/dashboard');
  await expectAccessible(engineer, 'dashboard');
  await open(engineer, '/notifications');
  await expect(engineer.locator('ul.notifications li').first()).toBeVisible();
  await expectAccessible(engineer, 'notifications');
  await open(employer, `/roles/${roleId}/candidates`);
  // her row is the one linking to her application (other tests' engineers may share her name)
  const candidate = employer.locator('ol.candidates > li').filter({ has: employer.locator(`a[href="${applicationPath}"]`) });
  await expect(candidate).toContainText('JLPT N3');
  await candidate.locator('details.why > summary').first().click();
  await expect(candidate.locator('details.why').first()).toContainText('Rust');
  await expectAccessible(employer, 'candidates');
  // the talent pool's filters narrow the candidates: N1 or above leaves her out
  await employer.locator('#candidates-jlpt').selectOption('N1');
  await employer.locator('form[role=search] button[type=submit]').click();
  await expect(employer).toHaveURL(/jlpt=N1/);
  await expect(employer.locator(`ol.candidates a[href="${applicationPath}"]`)).toHaveCount(0);
  await open(employer, '/roles');
  await expect(employer.locator('.stage-counts')).toContainText('1');
  await expectAccessible(employer, 'my roles');
});
