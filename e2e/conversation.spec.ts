import { Browser, expect, Page, test } from '@playwright/test';
import { SignUpPage, expectAccessible, open, uniqueEmail, verifyOrganisation } from './support';

// Finding each other and talking, in two browser contexts: an employer saves a talent-pool
// search and a new engineer who matches it appears in the employer's saved searches; the
// engineer applies; they exchange messages with read receipts; the employer proposes interview
// times in Japan time, the engineer (whose browser is in Berlin) reads them in India time and
// their own, picks one, and both see it in their own zone.

const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? '3100'}`;

async function personIn(browser: Browser, timezoneId: string): Promise<Page> {
  return (await browser.newContext({ timezoneId })).newPage();
}

test('a saved search finds a new engineer; messages and an interview across IST and JST', async ({ browser }) => {
  test.setTimeout(240_000);
  const tag = `Quokka${Date.now() % 100000}`;

  const employer = await personIn(browser, 'Asia/Tokyo');
  await new SignUpPage(employer).signUpEmployer('Kato Aoi', uniqueEmail('convo'), {
    ja: 'ひかり半導体株式会社', prefecture: 'kumamoto', sector: 'semiconductors', size: 'large',
  });
  const me = await (await employer.request.get('/api/v1/me')).json();
  verifyOrganisation(me.organisation_id);
  const role = await employer.request.post('/api/v1/roles', {
    data: {
      title_ja: '半導体プロセスエンジニア', title_en: 'Semiconductor process engineer',
      required_skills: [{ skill: 'embedded-software', min_years: 2 }],
      working_language: 'english', salary_min_jpy: 6000000, salary_max_jpy: 9000000,
      prefecture: 'kumamoto', remote_policy: 'onsite', visa_sponsorship: true, apply_from_abroad: true,
    },
  });
  expect(role.status()).toBe(201);
  const roleId = (await role.json()).id;

  // the employer saves a talent search that nobody matches yet
  await open(employer, `/talent?q=${tag}`);
  await expect(employer.locator('.talent-row')).toHaveCount(0);
  await employer.locator('details.save-search summary').click();
  await employer.locator('#saved-name').fill(`${tag} engineers`);
  await employer.locator('#saved-frequency').selectOption('weekly');
  await employer.locator('details.save-search button[type=submit]').click();
  await employer.waitForURL(/\/searches\?saved=/);
  await expect(employer.locator('.saved-search')).toContainText(`${tag} engineers`);
  await expect(employer.locator('.saved-search')).toHaveAttribute('data-new', '0');

  // a new engineer matching it signs up in another browser
  const engineer = await personIn(browser, 'Europe/Berlin');
  await new SignUpPage(engineer).signUpEngineer('Meera Iyer', uniqueEmail('meera'));
  expect((await engineer.request.put('/api/v1/me/profile', {
    data: {
      full_name: 'Meera Iyer', degree: 'bachelors', searchable: true, years_experience: 5,
      headline: `${tag} embedded engineer`, indian_state: 'tn',
      skills: [{ skill: 'embedded-software', years: 5 }],
    },
  })).status()).toBe(200);

  // she appears in the employer's saved searches as new
  await expect(async () => {
    await open(employer, '/searches');
    await expect(employer.locator('.saved-search')).toHaveAttribute('data-new', '1');
  }).toPass({ timeout: 20_000 });
  await expect(employer.locator('.saved-search .new-names')).toContainText('Meera Iyer');
  await expectAccessible(employer, 'saved searches');
  await employer.locator('.saved-search button', { hasText: 'See the new results' }).click();
  await employer.waitForURL(/\/talent\?.*since=/);
  await expect(employer.locator('.talent-row')).toHaveCount(1);

  // she applies; the employer writes first
  const applied = await engineer.request.post(`/api/v1/roles/${roleId}/applications`, { data: { note: 'Hello from Chennai.' } });
  expect(applied.status()).toBe(201);
  const applicationId = (await applied.json()).summary.id;
  await open(employer, `/applications/${applicationId}`);
  await employer.locator('#message-body').fill('はじめまして。来週、面接をお願いできますか？');
  await employer.locator('form.message-form button[type=submit]').click();
  await employer.waitForURL(/message=sent/);
  await expect(employer.locator('.message.mine')).toContainText('来週、面接');
  await expect(employer.locator('.message.mine .receipt')).toContainText('Not read yet');

  // she reads it (the receipt reaches the employer) and answers in Hindi
  await open(engineer, `/applications/${applicationId}`);
  await expect(engineer.locator('.message').first()).toContainText('来週、面接');
  await expect(engineer.locator('.message').first().locator('.message-body')).toHaveAttribute('lang', 'ja');
  await engineer.locator('#message-body').fill('नमस्ते! हाँ, अगले सप्ताह मैं उपलब्ध हूँ।');
  await engineer.locator('form.message-form button[type=submit]').click();
  await engineer.waitForURL(/message=sent/);
  await open(employer, `/applications/${applicationId}`);
  await expect(employer.locator('.message', { hasText: 'नमस्ते' })).toBeVisible();
  await expect(employer.locator('.message.mine .receipt')).toContainText('Read');

  // the employer proposes two times in Japan time, ten days ahead
  const day = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
  await employer.locator('details.propose summary').click();
  await employer.locator('#slot-new-0').fill(`${day}T10:00`);
  await employer.locator('#slot-new-1').fill(`${day}T15:00`);
  await employer.locator('#place-new').fill('https://meet.example.jp/hikari');
  await employer.locator('details.propose button[type=submit]').click();
  await expect(employer.locator('.interview .slot').first()).toContainText(`${day} 10:00 JST (06:30 IST)`);

  // she reads them in India time, with her own (Berlin) time beside them, and picks the first
  await open(engineer, `/applications/${applicationId}`);
  const first = engineer.locator('.interview .slot').first();
  await expect(first).toContainText(`${day} 06:30 IST (10:00 JST)`);
  await expect(first.locator('.own-zone')).toContainText(`${day} 02:00 UTC+01:00`);
  await first.locator('button[type=submit]').click();
  await expect(engineer.locator('.interview .scheduled')).toContainText(`${day} 06:30 IST (10:00 JST)`);
  await expect(engineer.locator('.interview a[href$="invitation.ics"]')).toBeVisible();

  // the employer sees it scheduled in Japan time (the Tokyo browser adds nothing)
  await open(employer, `/applications/${applicationId}`);
  await expect(employer.locator('.interview .scheduled')).toContainText(`${day} 10:00 JST (06:30 IST)`);
  await expect(employer.locator('.interview .own-zone')).toHaveCount(0);
  const ics = await employer.request.get(await employer.locator('.interview a[href$="invitation.ics"]').getAttribute('href') ?? '');
  expect(ics.status()).toBe(200);
  expect(await ics.text()).toContain(`DTSTART:${day.replaceAll('-', '')}T010000Z`);

  for (const lang of ['en', 'ja', 'hi']) {
    await engineer.context().addCookies([{ name: 'setubashi_lang', value: lang, url: BASE }]);
    await open(engineer, `/applications/${applicationId}`);
    await expect(engineer.locator('.interview .scheduled')).toBeVisible();
    await expectAccessible(engineer, `${lang} application with messages and interview`);
  }
});

test('the pipeline board moves a dragged card and ticked cards, by the rules of one move', async ({ browser }) => {
  test.setTimeout(180_000);
  const employer = await personIn(browser, 'Asia/Tokyo');
  await new SignUpPage(employer).signUpEmployer('Ono Sora', uniqueEmail('board'), {
    ja: 'そら電子株式会社', prefecture: 'tokyo', sector: 'software', size: 'small',
  });
  const me = await (await employer.request.get('/api/v1/me')).json();
  verifyOrganisation(me.organisation_id);
  const role = await employer.request.post('/api/v1/roles', {
    data: {
      title_en: 'Firmware engineer', working_language: 'english', salary_min_jpy: 5000000,
      salary_max_jpy: 8000000, prefecture: 'tokyo', remote_policy: 'hybrid', visa_sponsorship: true,
    },
  });
  expect(role.status()).toBe(201);
  const roleId = (await role.json()).id;
  const ids: number[] = [];
  for (const name of ['Dev Anand', 'Lata Rao']) {
    const engineer = await personIn(browser, 'Asia/Kolkata');
    await new SignUpPage(engineer).signUpEngineer(name, uniqueEmail(name.split(' ')[0].toLowerCase()));
    expect((await engineer.request.put('/api/v1/me/profile', {
      data: { full_name: name, degree: 'bachelors', years_experience: 3, skills: [] },
    })).status()).toBe(200);
    const applied = await engineer.request.post(`/api/v1/roles/${roleId}/applications`, { data: { note: '' } });
    expect(applied.status()).toBe(201);
    ids.push((await applied.json()).summary.id);
  }

  await open(employer, `/roles/${roleId}/pipeline`);
  // drag the first card to the shortlist
  await employer.locator(`.board-card[data-id="${ids[0]}"]`).dragTo(employer.locator('section[data-stage="shortlisted"]'));
  await expect(employer.locator('.bulk-move').locator('..').locator('[role=status]')).toContainText('1 application moved');
  await expect(employer.locator(`section[data-stage="shortlisted"] .board-card[data-id="${ids[0]}"]`)).toBeVisible();
  // tick both and move them to screening: the shortlisted one cannot go back, the other goes
  await employer.locator(`#select-${ids[0]}`).check();
  await employer.locator(`#select-${ids[1]}`).check();
  await employer.locator('#bulk-to').selectOption('screening');
  await employer.locator('.bulk-bar button[type=submit]').click();
  await expect(employer.locator('[role=status]').filter({ hasText: 'moved' })).toContainText('1 application moved');
  await expect(employer.locator('[role=status]').filter({ hasText: 'moved' })).toContainText(`#${ids[0]}`);
  await expect(employer.locator(`section[data-stage="screening"] .board-card[data-id="${ids[1]}"]`)).toBeVisible();
  await expectAccessible(employer, 'pipeline board after bulk moves');
});
