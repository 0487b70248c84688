// End-to-end test of the unit manager's participation page in headless Chromium: upload a
// roster with plain forms (preview, then apply), see the rate and who is missing, download
// the missing list, and watch the rate rise when a colleague takes the open round.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ADMIN, phonePage, waitHydrated, uniqueDigits, sharedBrowser, json, screenshot } from './browser.mjs';

const browser = sharedBrowser();


test('a unit manager uploads a roster, sees who is missing, and the rate rises as staff take part', async () => {
  const page = await phonePage(browser);
  const units = await json(await page.request.get(`${BASE}/api/v1/units?q=tu%20phap`));
  const unit = units.find((u) => u.unit.name === 'Sở Tư pháp').unit.id;
  // A manager for Sở Tư pháp, granted by the admin.
  const d = uniqueDigits(6);
  const email = `daumoi.stp.${d}@haiphong.gov.vn`;
  const manager = await json(await page.request.post(`${BASE}/api/v1/auth/register`, { data: {
    full_name: 'Đinh Thị Hương', unit_id: unit, position: 'Chánh Văn phòng', phone: `+84 97 ${d.slice(0, 3)} ${d.slice(3)}1`,
    email, cccd: `0311${uniqueDigits(8)}`, password: 'mật-khẩu-đủ-dài', password_confirm: 'mật-khẩu-đủ-dài',
  } }));
  const admin = await phonePage(browser);
  await json(await admin.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: ADMIN.email, password: ADMIN.password } }));
  const grant = await admin.request.put(`${BASE}/api/v1/users/${manager.id}/roles/unit_manager`, { data: { unit_id: unit } });
  assert.equal(grant.status(), 204);
  await json(await page.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: email, password: 'mật-khẩu-đủ-dài' } }));

  // A colleague with an account, on the roster by e-mail.
  const colleague = await phonePage(browser);
  const cEmail = `ctv.${d}@haiphong.gov.vn`;
  await json(await colleague.request.post(`${BASE}/api/v1/auth/register`, { data: {
    full_name: 'Phan Văn Lực', unit_id: unit, position: 'Chuyên viên', phone: `+84 96 ${d.slice(0, 3)} ${d.slice(3)}2`,
    email: cEmail, cccd: `0312${uniqueDigits(8)}`, password: 'mật-khẩu-đủ-dài', password_confirm: 'mật-khẩu-đủ-dài',
  } }));
  await json(await colleague.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: cEmail, password: 'mật-khẩu-đủ-dài' } }));

  const csv = `Họ và tên,CCCD hoặc mã cán bộ,Email,Số điện thoại,Chức vụ,Đơn vị trực thuộc\n`
    + `Đinh Thị Hương,STP-01,${email},,Chánh Văn phòng,\n`
    + `Phan Văn Lực,STP-02,${cEmail},,Chuyên viên,\n`
    + `Ông Văn Chưa,STP-03,,0987 111 222,Chuyên viên,\n`;
  await page.goto(`${BASE}/tham-gia`);
  await page.waitForSelector('h1:has-text("Tỷ lệ tham gia theo đơn vị")');
  await page.setInputFiles('#f-roster-file', { name: 'danh-sach.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.click('button:has-text("Xem trước")');
  await page.waitForURL(/\/don-vi\/\d+\/danh-sach\/\d+$/);
  assert.match(await page.textContent('main'), /3 người hợp lệ, 0 lỗi/);
  await waitHydrated(page);
  await page.click('button:has-text("Cập nhật danh sách")');
  await page.waitForURL(/\/tham-gia/);
  await page.waitForSelector('#missing');
  assert.match(await page.textContent('#missing'), /Chưa tham gia: 3 người \(Sở Tư pháp\)/);
  assert.match(await page.textContent('table.rates'), /Sở Tư pháp/);
  assert.ok(!(await page.textContent('table.rates')).includes('Phường Hải An'), 'only the manager\'s subtree');
  const reminder = await page.inputValue('#f-reminder');
  assert.match(reminder, /Sở Tư pháp/);
  assert.match(reminder, /\/thi\/\d+/);
  assert.ok(!reminder.includes('Hội thi Hội thi'), reminder);
  assert.match(reminder, /\(Đợt \d\) đang diễn ra/);
  // One tap copies it for the group chat.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  await waitHydrated(page);
  await page.click('#copy-reminder');
  await page.waitForSelector('#reminder-copied', { state: 'visible' });
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), reminder);
  // On a phone the round picker names the round first, and the rate column is on screen.
  assert.match(await page.textContent('#f-round option[selected]'), /^Đợt \d — /);
  const rate = await page.locator('table.rates tbody tr').first().locator('td').nth(3).boundingBox();
  assert.ok(rate && rate.x >= 0 && rate.x + rate.width <= 360, `the rate is visible at 360 px: ${JSON.stringify(rate)}`);
  await screenshot(page, 'participation-manager-360');
  assert.equal(await page.locator('.qr svg').count(), 1, 'a QR code of the round link');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no sideways scrolling at 360 px (scrollWidth ${width})`);
  const download = await page.request.get(await page.getAttribute('a:has-text("Tải danh sách (XLSX)")', 'href').then((h) => `${BASE}${h}`));
  assert.equal(download.status(), 200);
  assert.ok((await download.body()).subarray(0, 2).toString() === 'PK', 'an XLSX file');

  // The colleague takes the open round: the rate rises and he leaves the missing list.
  const rounds = await json(await colleague.request.get(`${BASE}/api/v1/rounds`));
  const open = rounds.find((r) => r.phase === 'open' && r.title === 'Đợt 3');
  const attempt = await json(await colleague.request.post(`${BASE}/api/v1/rounds/${open.id}/attempts`));
  await json(await colleague.request.post(`${BASE}/api/v1/attempts/${attempt.id}/submit`));
  await page.goto(`${BASE}/tham-gia?round=${open.id}`);
  await page.waitForSelector('#missing');
  assert.match(await page.textContent('#missing'), /Chưa tham gia: 2 người/);
  assert.ok(!(await page.textContent('#missing')).includes('Phan Văn Lực'));
  assert.match(await page.textContent('table.rates'), /33,3%/);
  // Days read day first (05/10, never 10-05).
  for (const label of await page.locator('.histogram.days .bar-label').allTextContents()) assert.match(label, /^\d\d\/\d\d$/);
  // A closed round offers no reminder.
  const closed = rounds.find((r) => r.phase === 'closed');
  await page.goto(`${BASE}/tham-gia?round=${closed.id}`);
  await page.waitForSelector('#reminder-closed');
  assert.equal(await page.locator('#f-reminder').count(), 0);
  for (const p of [page, admin, colleague]) await p.context().close();
});

test('an organizer opens the annual report with its charts and downloads it as XLSX and PDF', async () => {
  const page = await phonePage(browser, { viewport: { width: 1280, height: 900 } });
  await json(await page.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: ADMIN.email, password: ADMIN.password } }));
  await page.goto(`${BASE}/admin/bao-cao?year=${new Date().getFullYear()}`);
  await page.waitForSelector('h1:has-text("Báo cáo kết quả tham gia năm")');
  assert.equal(await page.locator('.chart svg').count(), 2, 'a bar chart and a line chart');
  assert.ok(await page.locator('.chart svg rect').count() > 10, 'one bar per unit');
  assert.match(await page.textContent('main'), /Số lượt dự thi/);
  const downloads = page.url();
  // The collective prizes of the round shown, with each unit's computation.
  await page.goto(`${BASE}/tham-gia`);
  await page.waitForSelector('#collective');
  await waitHydrated(page);
  const collective = await page.textContent('section:has(#collective)');
  assert.match(collective, /Tỷ lệ \d+\/\d+ = /, collective.slice(0, 400));
  await page.goto(downloads);
  for (const format of ['xlsx', 'pdf']) {
    const href = await page.getAttribute(`a[href*="format=${format}"]`, 'href');
    const r = await page.request.get(`${BASE}${href}`);
    assert.equal(r.status(), 200, format);
    const head = (await r.body()).subarray(0, 4).toString();
    assert.equal(head, format === 'pdf' ? '%PDF' : 'PK\u0003\u0004');
  }
  await page.context().close();
});
