// End-to-end test of the integrity page (dấu hiệu thi hộ) on the demo: the admin reaches it from
// the latest closed round's control room, sees the seeded flags with their evidence in words
// and risk levels, and dismisses one with a note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ADMIN, phonePage, waitHydrated, sharedBrowser, json, screenshot } from './browser.mjs';

const browser = sharedBrowser();

test('the integrity page shows the demo round’s seeded flags and a flag is dismissed with a note', async () => {
  const page = await phonePage(browser, { viewport: { width: 1280, height: 900 } });
  await json(await page.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: ADMIN.email, password: ADMIN.password } }));
  // The demo's second closed round carries the seeded patterns.
  const rounds = await json(await page.request.get(`${BASE}/api/v1/rounds`));
  const round = rounds.find((r) => r.title === 'Đợt 2' && r.contest_title.startsWith('Hội thi trực tuyến tìm hiểu công tác cải cách hành chính thành phố Hải Phòng'));
  assert.ok(round, JSON.stringify(rounds.map((r) => r.title)));

  await page.goto(`${BASE}/admin/rounds/${round.id}`);
  await waitHydrated(page);
  await page.click('#integrity-link');
  await page.waitForURL(new RegExp(`/admin/rounds/${round.id}/gian-lan$`));
  await page.waitForSelector('.flag');
  assert.match(await page.textContent('h1'), /Dấu hiệu thi hộ/);
  const text = await page.textContent('.flags');
  for (const signal of ['Một thiết bị, nhiều tài khoản', 'Đáp án giống hệt', 'Nhanh bất thường', 'Hai thiết bị cùng lúc']) {
    assert.ok(text.includes(signal), `${signal} is shown`);
  }
  assert.match(text, /được 4 tài khoản dùng để làm bài/);
  assert.match(text, /Mức nghi vấn: Cao/);
  await screenshot(page, 'integrity-page', { fullPage: true });

  // The API agrees with the page.
  const report = await json(await page.request.get(`${BASE}/api/v1/rounds/${round.id}/integrity`));
  assert.ok(report.flagged.length >= 8, `${report.flagged.length} flagged`);
  assert.equal(await page.locator('.flag').count(), report.flagged.length);

  // Dismiss the first open flag with a note: it stays listed, with the note and who decided.
  const open = report.flagged.find((f) => !f.dismissal && !f.disqualified);
  const flag = page.locator(`#flag-${open.attempt_id}`);
  await flag.locator(`#note-${open.attempt_id}`).fill('Đã gọi điện xác minh: máy tính dùng chung của bộ phận');
  await flag.locator('button:has-text("Bỏ qua")').click();
  await flag.locator('.dismissed').waitFor();
  assert.match(await flag.locator('.dismissed').textContent(), /Đã bỏ qua: «Đã gọi điện xác minh: máy tính dùng chung của bộ phận» — Quản Trị Kiểm Thử/);
  const after = await json(await page.request.get(`${BASE}/api/v1/rounds/${round.id}/integrity`));
  assert.equal(after.flagged.find((f) => f.attempt_id === open.attempt_id).dismissal.note, 'Đã gọi điện xác minh: máy tính dùng chung của bộ phận');
  await page.close();
});
