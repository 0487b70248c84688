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
    // The PDF is laid out by Typst on the report lane, at the lowest CPU priority: in the test
    // command's debug build on a busy shared machine that takes tens of seconds, not 30 s at most.
    const r = await page.request.get(`${BASE}${href}`, { timeout: 180_000 });
    assert.equal(r.status(), 200, format);
    const head = (await r.body()).subarray(0, 4).toString();
    assert.equal(head, format === 'pdf' ? '%PDF' : 'PK\u0003\u0004');
  }
  await page.context().close();
});

test('a unit manager adds a self-registered colleague to the roster, rejects another, and saves the declared headcount', async () => {
  const page = await phonePage(browser);
  const units = await json(await page.request.get(`${BASE}/api/v1/units?q=cong%20thuong`));
  const unit = units.find((u) => u.unit.name === 'Sở Công Thương').unit.id;
  const d = uniqueDigits(6);
  const register = async (client, name, tag, position) => {
    const email = `${tag}.${d}@haiphong.gov.vn`;
    const body = { full_name: name, unit_id: unit, position, phone: `+84 9${tag.length % 10} ${d.slice(0, 3)} ${d.slice(3)}${tag.length % 10}`,
      email, cccd: `0311${uniqueDigits(8)}`, password: 'mật-khẩu-đủ-dài', password_confirm: 'mật-khẩu-đủ-dài' };
    const account = await json(await client.request.post(`${BASE}/api/v1/auth/register`, { data: body }));
    await json(await client.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: email, password: 'mật-khẩu-đủ-dài' } }));
    return { ...account, email };
  };
  const manager = await register(page, 'Đoàn Thị Quế', 'dm', 'Chánh Văn phòng');
  const admin = await phonePage(browser);
  await json(await admin.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: ADMIN.email, password: ADMIN.password } }));
  assert.equal((await admin.request.put(`${BASE}/api/v1/users/${manager.id}/roles/unit_manager`, { data: { unit_id: unit } })).status(), 204);
  await json(await page.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: manager.email, password: 'mật-khẩu-đủ-dài' } }));
  // The roster lists only the manager; a colleague registers herself and takes the round.
  const roster = `Họ và tên,CCCD hoặc mã cán bộ,Email,Số điện thoại,Chức vụ,Đơn vị trực thuộc\nĐoàn Thị Quế,SCT-01,${manager.email},,Chánh Văn phòng,\n`;
  assert.equal((await page.request.post(`${BASE}/api/v1/units/${unit}/roster?dry_run=false`, { data: Buffer.from(roster) })).status(), 200);
  const colleague = await phonePage(browser);
  const self = await register(colleague, 'Tạ Thị Ngọc Ánh', 'tuDK', 'Chuyên viên');
  const stranger = await phonePage(browser);
  const other = await register(stranger, 'Quách Văn Khách', 'khachKhong', 'Cộng tác viên');
  const rounds = await json(await colleague.request.get(`${BASE}/api/v1/rounds`));
  const open = rounds.find((r) => r.phase === 'open' && r.title === 'Đợt 3');
  const attempt = await json(await colleague.request.post(`${BASE}/api/v1/rounds/${open.id}/attempts`));
  await json(await colleague.request.post(`${BASE}/api/v1/attempts/${attempt.id}/submit`));

  await page.goto(`${BASE}/tham-gia?round=${open.id}`);
  await page.waitForSelector('#unrostered');
  await waitHydrated(page);
  const list = () => page.textContent('#unrostered-list');
  assert.match(await list(), /Tạ Thị Ngọc Ánh/);
  assert.match(await list(), /Quách Văn Khách/);
  assert.match(await list(), /\*\*\*/, 'personal numbers masked');
  const row = () => page.locator(`table.rates tr[data-unit="${unit}"]`);
  assert.match(await row().textContent(), /0,0%/, 'she took part but is not on the roster: the rate does not move');
  // What each table counts is said on the page.
  assert.match(await page.textContent('#by-block-explain'), /khối Đơn vị sự nghiệp/);
  assert.match(await page.textContent('#by-unit-explain'), /cả|mọi đơn vị trực thuộc/);
  assert.match(await page.textContent('table.rates thead'), /cả đơn vị trực thuộc/);
  assert.match(await page.textContent('table.rates thead'), /chính đơn vị/);
  assert.match(await row().textContent(), /0 \/ 1 \(danh sách\)/, 'the own headcount with its source');
  await page.evaluate(() => document.querySelector('#unrostered-list').scrollIntoView({ block: 'start' }));
  await screenshot(page, 'unrostered-manager-360');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no sideways scrolling at 360 px (scrollWidth ${width})`);

  // Added: she counts, and the rate moves.
  await page.locator(`#unrostered-list li[data-user="${self.id}"] button:has-text("Thêm vào danh sách")`).click();
  // The page loads its figures again (for a moment the list is not there).
  await page.waitForFunction(() => document.querySelector('#unrostered-done') && !document.querySelector('#unrostered-list')?.textContent.includes('Tạ Thị Ngọc Ánh'));
  await page.waitForFunction((u) => document.querySelector(`table.rates tr[data-unit="${u}"]`)?.textContent.includes('50,0%'), unit);
  assert.match(await row().textContent(), /1 \/ 2 \(danh sách\)/);
  // Rejected: he leaves the list (the demo's simulated staff of the unit, off the new roster, stay).
  await page.locator(`#unrostered-list li[data-user="${other.id}"] button:has-text("Không thuộc diện")`).click();
  await page.waitForSelector(`#unrostered-list li[data-user="${other.id}"]`, { state: 'detached' });
  await page.waitForSelector('#unrostered-done');

  // The declared headcount: an error next to the field, then saved.
  assert.match(await page.textContent('#staff-now'), /2 \(danh sách\)/);
  await page.fill('#f-headcount', '-5');
  await page.click('#headcount-form button[type="submit"]');
  await page.waitForSelector('#err-headcount');
  assert.match(await page.textContent('#err-headcount'), /\S/);
  await page.fill('#f-headcount', '25');
  await page.click('#headcount-form button[type="submit"]');
  await page.waitForSelector('#headcount-saved');
  assert.equal((await json(await page.request.get(`${BASE}/api/v1/units/${unit}`))).headcount, 25);
  for (const p of [page, admin, colleague, stranger]) await p.context().close();
});

test('an organizer saves the collective rule, retires a unit with a confirmation and undoes it, and reads the report in English', async () => {
  const page = await phonePage(browser, { viewport: { width: 1280, height: 900 } });
  await json(await page.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: ADMIN.email, password: ADMIN.password } }));
  // The collective rule: the threshold is checked beside its field, then saved.
  await page.goto(`${BASE}/tham-gia`);
  await page.waitForSelector('#collective-rule-form');
  await waitHydrated(page);
  await page.fill('#f-min_rate', '150');
  await page.click('#collective-rule-form button[type="submit"]');
  await page.waitForSelector('#err-min_rate');
  await page.fill('#f-min_rate', '60');
  await page.fill('#f-prizes', 'Giải Nhất | 1\nGiải Nhì | 2');
  await page.click('#collective-rule-form button[type="submit"]');
  await page.waitForSelector('#collective-rule-saved');

  // Units page: the headcount with its source, and retiring asks first, then can be undone.
  const units = await json(await page.request.get(`${BASE}/api/v1/units?q=cong%20thuong`));
  const parent = units.find((u) => u.unit.name === 'Sở Công Thương').unit.id;
  const code = `E2E-${uniqueDigits(5)}`;
  const created = await json(await page.request.post(`${BASE}/api/v1/units`, { data: { code, name: `Trung tâm thử nghiệm ${code}`, block: 'su_nghiep', parent_id: parent, headcount: 12 } }));
  await page.goto(`${BASE}/admin/units?q=${code}`);
  await page.waitForSelector(`tr[data-code="${code}"]`);
  assert.match(await page.textContent(`tr[data-code="${code}"] td.staff`), /12 \(khai báo\)/);
  await waitHydrated(page);
  await page.selectOption('#f-id-retire', String(created.id));
  await page.click('#retire-ask');
  await page.waitForSelector('#retire-confirm');
  assert.match(await page.textContent('#retire-confirm'), /tài khoản/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'retire-confirm-heading', 'focus moves into the box');
  await page.click('#retire-cancel');
  await page.waitForSelector('#retire-confirm', { state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'retire-ask', 'focus comes back');
  assert.equal((await json(await page.request.get(`${BASE}/api/v1/units/${created.id}`))).status, 'active', 'cancel changes nothing');
  await page.click('#retire-ask');
  await page.click('#retire-confirm-button');
  await page.waitForSelector('#retired-notice');
  assert.equal((await json(await page.request.get(`${BASE}/api/v1/units/${created.id}`))).status, 'retired');
  await page.click('#reinstate-unit');
  await page.waitForSelector('#reinstated-notice');
  assert.equal((await json(await page.request.get(`${BASE}/api/v1/units/${created.id}`))).status, 'active');

  // The report pages in English: English headings, dot decimals.
  await page.goto(`${BASE}/lang/en?next=/tham-gia`);
  await page.waitForSelector('h1:has-text("Participation by unit")');
  assert.match(await page.textContent('main'), /By block/);
  assert.match(await page.textContent('table.rates thead'), /with subordinate units/);
  assert.match(await page.textContent('.big-rate'), /\d\.\d%/);
  assert.ok(!/\d,\d%/.test(await page.textContent('table.rates')), 'no comma decimals in English');
  // Each unit's collective-prize computation too.
  await page.waitForSelector('section:has(#collective) td');
  const collective = await page.textContent('section:has(#collective)');
  assert.match(collective, /Rate \d+\/\d+ = \d+\.\d%/);
  assert.ok(!collective.includes('Tỷ lệ '), 'no Vietnamese computation on the English page');
  await screenshot(page, 'participation-english');
  await page.goto(`${BASE}/admin/bao-cao?year=${new Date().getFullYear()}`);
  await page.waitForSelector('h1:has-text("Participation report")');
  const main = await page.textContent('main');
  assert.match(main, /Overall participation rate/);
  assert.match(main, /Entries per day/);
  assert.ok(!main.includes('Số lượt dự thi') && !main.includes('Tỷ lệ tham gia chung'), 'no Vietnamese statistics left');
  assert.match(await page.innerHTML('.chart'), /\d\.\d%/);
  await screenshot(page, 'annual-report-english');
  await page.context().close();
});
