import { Browser, expect, Page, test } from '@playwright/test';
import { SignUpPage, expectAccessible, newPage, open, uniqueEmail, verifyOrganisation } from './support';

// Discovery: an employer of a verified organisation searches the talent pool with filters,
// sees how many each filter value would find, narrows by a count's link and ranks the pool
// for its role; an engineer's role search shows counts beside its filters too.

const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? '3100'}`;

async function engineer(browser: Browser, name: string, profile: object): Promise<Page> {
  const page = await newPage(browser);
  await new SignUpPage(page).signUpEngineer(name, uniqueEmail(name.split(' ')[0].toLowerCase()));
  expect((await page.request.put('/api/v1/me/profile', {
    data: { full_name: name, degree: 'bachelors', searchable: true, ...profile },
  })).status()).toBe(200);
  return page;
}

test('the talent pool filters, counts and ranks; role search counts beside its filters', async ({ browser }) => {
  test.setTimeout(180_000);
  const tag = `Zephyr${Date.now() % 100000}`;
  await engineer(browser, 'Kavya Reddy', {
    headline: `${tag} embedded firmware`, years_experience: 9, jlpt_level: 'N2', indian_state: 'tg',
    skills: [{ skill: 'embedded-software', years: 8 }, { skill: 'rust', years: 2 }],
  });
  await engineer(browser, 'Rohan Das', {
    headline: `${tag} embedded developer`, years_experience: 3, jlpt_level: 'N4', indian_state: 'wb',
    skills: [{ skill: 'embedded-software', years: 2 }],
  });

  const employer = await newPage(browser);
  await new SignUpPage(employer).signUpEmployer('Mori Ren', uniqueEmail('talent'), {
    ja: 'あおば車載システム株式会社', prefecture: 'aichi', sector: 'automotive', size: 'large',
  });
  const me = await (await employer.request.get('/api/v1/me')).json();
  // before verification the pool stays closed
  await open(employer, '/talent');
  await expect(employer.locator('.alert-error, .error').first()).toBeVisible();
  const role = await employer.request.post('/api/v1/roles', {
    data: {
      title_ja: '車載組み込みエンジニア', title_en: 'Automotive embedded engineer',
      required_skills: [{ skill: 'embedded-software', min_years: 5 }], min_jlpt: 'N3',
      working_language: 'mixed', salary_min_jpy: 6000000, salary_max_jpy: 9000000,
      prefecture: 'aichi', remote_policy: 'onsite', visa_sponsorship: true, apply_from_abroad: true,
    },
  });
  expect(role.status()).toBe(201);
  const roleId = (await role.json()).id;
  verifyOrganisation(me.organisation_id);

  await open(employer, `/talent?q=${tag}`);
  await expect(employer.locator('.talent-row')).toHaveCount(2);
  await expect(employer.locator('#talent-heading')).toContainText('2');
  // the JLPT facet: N3 or above would find one of the two
  const n3 = employer.locator('.refine .facet li', { hasText: 'N3' });
  await expect(n3.locator('.count')).toHaveText('(1)');
  await n3.locator('a').click();
  await employer.waitForURL(/jlpt=N3/);
  await expect(employer.locator('.talent-row')).toHaveCount(1);
  await expect(employer.locator('.talent-row')).toContainText('Kavya Reddy');
  await expectAccessible(employer, 'talent pool, filtered');

  // skills with minimum years, in Japanese: 組み込み for 5 years or more
  await open(employer, `/talent?q=${tag}&skills=${encodeURIComponent('組み込み:5')}`);
  await expect(employer.locator('.talent-row')).toHaveCount(1);
  // ranked for the role: the fit is shown on each row, the best first
  await open(employer, `/talent?q=${tag}&role=${roleId}`);
  await expect(employer.locator('.talent-row').first()).toContainText('Kavya Reddy');
  await expect(employer.locator('.talent-row .score').first()).toBeVisible();

  for (const lang of ['en', 'ja', 'hi']) {
    await employer.context().addCookies([{ name: 'setubashi_lang', value: lang, url: BASE }]);
    await open(employer, `/talent?q=${tag}`);
    await expect(employer.locator('.talent-row')).toHaveCount(2);
    await expectAccessible(employer, `${lang} talent pool`);
  }

  // an engineer's role search: counts beside the filters, and a count's link narrows to it
  const seeker = await engineer(browser, 'Isha Kapoor', {
    years_experience: 6, jlpt_level: 'N3', skills: [{ skill: 'embedded-software', years: 6 }],
  });
  await open(seeker, '/jobs?q=車載組み込みエンジニア');
  const aichi = seeker.locator('.refine .facet li', { hasText: 'Aichi' }).first();
  await expect(aichi.locator('.count')).toHaveText(/\(\d+\)/);
  await aichi.locator('a').click();
  await seeker.waitForURL(/prefecture=aichi/);
  await expect(seeker.locator('.cards')).toContainText('Automotive embedded engineer');
  await expectAccessible(seeker, 'role search with counts');
});
