// A citizen on a 360 px phone: the light sign-up (name, phone, commune from the accent-insensitive
// picker), the texted code (read as the e2e admin from the development sender's screen), the
// demo's public round taken and submitted, the result; the staff rounds and the staff-only
// pages stay closed to them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ADMIN, PASSWORD, phonePage, waitHydrated, uniqueDigits, sharedBrowser, json, screenshot } from './browser.mjs';

const browser = sharedBrowser();

async function adminContext() {
  const page = await phonePage(browser, { viewport: { width: 1280, height: 900 } });
  await json(await page.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: ADMIN.email, password: ADMIN.password } }));
  return page;
}

test('a citizen signs up on a phone, confirms the code, takes the public round and sees the result', async () => {
  const page = await phonePage(browser);
  await page.goto(`${BASE}/dang-ky-cong-dan`);
  await waitHydrated(page);
  assert.equal(await page.locator('#f-cccd').count(), 0, 'no CCCD');
  assert.equal(await page.locator('#f-position').count(), 0, 'no position');
  await page.fill('#f-full_name', 'Lương Thị Minh Thư');
  const phone = `09${uniqueDigits(8)}`;
  await page.fill('#f-phone', phone);
  // The commune picker narrows without accents, over the city's communes, wards and special zones only.
  const all = await page.locator('#f-residence_unit_id option').count();
  assert.equal(all, 114 + 1, 'the 114 communes, wards and special zones, and the empty choice');
  await page.fill('#f-unit-search', 'an lao');
  await page.waitForFunction(() => document.querySelectorAll('#f-residence_unit_id option').length < 10);
  await page.selectOption('#f-residence_unit_id', { label: 'Xã An Lão' });
  await page.fill('#f-password', PASSWORD);
  await page.fill('#f-password_confirm', PASSWORD);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no sideways scrolling at 360 px (scrollWidth ${width})`);
  await screenshot(page, 'citizen-signup-360', { fullPage: true });
  await page.click('button:has-text("Gửi mã xác nhận")');
  await page.waitForURL(/\/xac-nhan-ma\?phone=/);
  assert.match(await page.textContent('#code-sent'), new RegExp(`đã được gửi tới số ${phone}`));

  // The development sender kept the message: the admin reads it on the codes screen.
  const admin = await adminContext();
  await admin.goto(`${BASE}/admin/ma-xac-nhan`);
  const row = admin.locator('tr.sent-code', { hasText: phone }).first();
  const code = (await row.textContent()).match(/\b(\d{6})\b/)[1];
  assert.ok(code, 'a 6-digit code on the codes screen');

  await page.fill('#f-code', code);
  await screenshot(page, 'citizen-code-360');
  await page.click('button:has-text("Xác nhận và vào thi")');
  await page.waitForURL(/\/thi/);
  const me = await json(await page.request.get(`${BASE}/api/v1/me`));
  assert.equal(me.citizen, true);
  assert.equal(me.unit_id, null);

  // Only the public round is listed; the staff rounds are not.
  const listed = await page.textContent('main');
  assert.ok(listed.includes('Đợt thi dành cho người dân'), 'the public round is listed');
  assert.ok(!listed.includes('Đợt 3'), 'the staff round is not');
  const rounds = await json(await page.request.get(`${BASE}/api/v1/rounds`));
  assert.ok(rounds.every((r) => r.audience === 'public'), 'the API lists public rounds only');
  const round = rounds.find((r) => r.title === 'Đợt thi dành cho người dân' && r.phase === 'open');
  assert.ok(round, 'the demo has an open public round');

  await page.goto(`${BASE}/thi/${round.id}`);
  await page.click('button:has-text("Bắt đầu làm bài")');
  await page.waitForURL(/\/bai-thi\/\d+$/);
  await waitHydrated(page);
  const questions = await page.locator('fieldset.question:not(.prediction)').count();
  assert.equal(questions, 6, 'the public pool\'s six demo questions');
  for (let n = 1; n <= questions; n++) {
    await page.click(`#cau-${n} label.option >> nth=0`);
    await page.waitForSelector(`#cau-${n} .saved:has-text("Đã lưu lúc")`);
  }
  await page.fill('#f-prediction', '250');
  await page.press('#f-prediction', 'Tab');
  await page.waitForSelector('.prediction .saved');
  await page.click('button:has-text("Nộp bài")');
  await page.click('#confirm-submit');
  await page.waitForURL(/\/ket-qua$/);
  await page.waitForSelector('h1:has-text("Kết quả bài thi")');
  assert.match(await page.textContent('.result .score'), /^\d+ \/ 6$/);
  await screenshot(page, 'citizen-result-360', { fullPage: true });

  // Staff rounds and staff-only pages stay closed.
  const all_rounds = await json(await admin.request.get(`${BASE}/api/v1/rounds`));
  const staff = all_rounds.find((r) => r.title === 'Đợt 3' && r.phase === 'open');
  assert.equal((await page.request.get(`${BASE}/thi/${staff.id}`)).status(), 404);
  assert.equal((await page.request.post(`${BASE}/api/v1/rounds/${staff.id}/attempts`)).status(), 404);
  for (const path of ['/tham-gia', '/admin/users', '/tham-gia-cong-dan', '/admin/ma-xac-nhan']) {
    const status = (await page.request.get(`${BASE}${path}`, { maxRedirects: 0 })).status();
    assert.ok(status === 403 || (status >= 300 && status < 400), `${path} is closed to a citizen (${status})`);
  }
  assert.equal(await page.locator('nav a[href="/giai-thuong"]').count(), 0, 'no award link for a citizen');

  // The citizen's own page shows the phone and the residence, not the staff rows.
  await page.goto(`${BASE}/profile`);
  await page.waitForSelector('dd[data-field="residence"]');
  assert.equal((await page.textContent('dd[data-field="residence"]')).trim(), 'Xã An Lão');
  const profile = await page.textContent('main');
  assert.ok(!profile.includes('cong-dan.invalid') && !profile.includes('Số CCCD'), 'no placeholder e-mail or CCCD row on a citizen\'s profile');
  await screenshot(page, 'citizen-profile-360', { fullPage: true });

  // The organizers' per-commune report counts the entry for Xã An Lão.
  await admin.goto(`${BASE}/tham-gia-cong-dan?round=${round.id}`);
  await admin.waitForSelector('#commune-table');
  const line = await admin.locator('#commune-table tr', { hasText: 'Xã An Lão' }).first().textContent();
  assert.match(line, /Xã An Lão\s*[1-9]\d*\s*[1-9]\d*/);
  await page.context().close();
  await admin.context().close();
});
