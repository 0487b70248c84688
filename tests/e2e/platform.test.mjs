// End-to-end tests in headless Chromium against the real server: registration in Vietnamese,
// login, hydration, the accent-insensitive unit picker, field errors, no-JS forms, phone width,
// and an organizer merging two units.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ADMIN, phonePage, waitHydrated, uniqueDigits, sharedBrowser, json, registerAndSignIn, screenshot } from './browser.mjs';

const browser = sharedBrowser();

async function fillRegistration(page, { name, email, cccd, phone }) {
  await page.fill('#f-full_name', name);
  await page.fill('#f-unit-search', 'hai an');
  await page.selectOption('#f-unit_id', { label: 'Phường Hải An' });
  await page.fill('#f-position', 'Chuyên viên phòng Văn hóa - Xã hội');
  await page.fill('#f-phone', phone);
  await page.fill('#f-email', email);
  await page.fill('#f-cccd', cccd);
  await page.fill('#f-password', 'mật-khẩu-đủ-dài');
  await page.fill('#f-password_confirm', 'mật-khẩu-đủ-dài');
}

test('hydration works and the unit picker finds "Phường Hải An" from "hai an"', async () => {
  const page = await phonePage(browser);
  await page.goto(`${BASE}/register`);
  await waitHydrated(page);
  const total = await page.locator('#f-unit_id option').count();
  assert.ok(total > 100, `all units listed, got ${total}`);
  await page.fill('#f-unit-search', 'hai an');
  // Filtering happens in the browser: proof that the WASM is running.
  const labels = await page.locator('#f-unit_id option').allTextContents();
  assert.ok(labels.includes('Phường Hải An'), labels.join(' | '));
  assert.ok(labels.length < 10, `narrowed to a few, got ${labels.length}`);
  assert.match(await page.textContent('#unit-count'), /\/ \d+ đơn vị phù hợp/);
  await page.context().close();
});

test('a civil servant registers in Vietnamese on a 360 px phone and lands on the profile', async () => {
  const page = await phonePage(browser);
  await page.goto(`${BASE}/register`);
  await waitHydrated(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no horizontal scrolling at 360 px (scrollWidth ${width})`);
  const digits = uniqueDigits(6);
  const email = `anh.duong.${digits}@haiphong.gov.vn`;
  await fillRegistration(page, { name: 'Nguyễn Thị Ánh Dương', email, cccd: `031095${digits}`, phone: `+84 91 1${digits.slice(0, 3)} ${digits.slice(3)}` });
  await page.click('button[type=submit]:has-text("Đăng ký")');
  await page.waitForURL(/\/profile/);
  await page.waitForSelector('text=Đăng ký thành công');
  assert.equal(await page.textContent('h1'), 'Nguyễn Thị Ánh Dương');
  assert.match(await page.textContent('[data-field=cccd]'), /^031\*{7}\d\d$/);
  await page.context().close();

  // Logging in again from a fresh browser, with the e-mail.
  const again = await phonePage(browser);
  await again.goto(`${BASE}/login`);
  await waitHydrated(again);
  await again.fill('#f-identifier', email);
  await again.fill('#f-password', 'mật-khẩu-đủ-dài');
  await again.click('button:has-text("Đăng nhập")');
  await again.waitForSelector('header a[href="/profile"]:has-text("Nguyễn Thị Ánh Dương")');
  await again.context().close();
});

test('bad input shows the Vietnamese message next to the field and keeps what was typed', async () => {
  const page = await phonePage(browser);
  await page.goto(`${BASE}/register`);
  await waitHydrated(page);
  await fillRegistration(page, { name: 'Trần Văn Bình', email: `binh.${uniqueDigits(6)}@haiphong.gov.vn`, cccd: '12345', phone: '0912 345' });
  await page.click('button[type=submit]:has-text("Đăng ký")');
  await page.waitForSelector('#err-cccd');
  assert.equal(await page.textContent('#err-cccd'), 'Số CCCD phải gồm đúng 12 chữ số.');
  assert.match(await page.textContent('#err-phone'), /Số điện thoại không hợp lệ/);
  assert.equal(await page.getAttribute('#f-cccd', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#f-full_name'), 'Trần Văn Bình');
  await page.context().close();
});

test('forms work before the WASM loads: a wrong login shows the message without JavaScript', async () => {
  const page = await phonePage(browser, { javaScriptEnabled: false });
  await page.goto(`${BASE}/login`);
  await page.fill('#f-identifier', 'khong.ton.tai@haiphong.gov.vn');
  await page.fill('#f-password', 'sai-mật-khẩu');
  await page.click('button:has-text("Đăng nhập")');
  await page.waitForSelector('.form-error');
  assert.equal((await page.textContent('.form-error')).trim(), 'Thông tin đăng nhập hoặc mật khẩu không đúng.');
  await page.context().close();
});

test('an organizer merges two units and the tree shows the merge', async () => {
  const page = await phonePage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${BASE}/admin/units`);
  await page.waitForURL(/\/login\?next=/);
  await waitHydrated(page);
  await page.fill('#f-identifier', ADMIN.email);
  await page.fill('#f-password', ADMIN.password);
  await page.click('button:has-text("Đăng nhập")');
  await page.waitForURL(/\/admin\/units/);
  await page.waitForSelector('h1:has-text("Cây đơn vị")');
  await waitHydrated(page);
  const source = await page.locator('#f-source_id option', { hasText: 'Phường Lê Chân' }).first().getAttribute('value');
  const target = await page.locator('#f-target_id option', { hasText: 'Phường An Biên' }).first().getAttribute('value');
  await page.selectOption('#f-source_id', source);
  await page.selectOption('#f-target_id', target);
  await page.click('#merge-form button[type=submit]');
  await page.waitForSelector('tr:has-text("Phường Lê Chân") td.status:has-text("Đã sáp nhập vào Phường An Biên")');
  // The admin pages work on a phone too: nothing pushes the page sideways at 360 px.
  for (const path of ['/admin/units', '/admin/questions', '/admin/users']) {
    const phone = await page.context().newPage();
    await phone.setViewportSize({ width: 360, height: 740 });
    await phone.goto(`${BASE}${path}`);
    await phone.waitForSelector('h1');
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${path}: scrollWidth ${width} at 360 px`);
    await phone.close();
  }
  // The merged ward leaves the registration picker.
  const reg = await phonePage(browser);
  await reg.goto(`${BASE}/register`);
  const labels = await reg.locator('#f-unit_id option').allTextContents();
  assert.ok(!labels.includes('Phường Lê Chân'));
  assert.ok(labels.includes('Phường An Biên'));
  await reg.context().close();
  await page.context().close();
});

test('English is one click away and comes back', async () => {
  const page = await phonePage(browser);
  await page.goto(`${BASE}/`);
  await page.click('a[lang=en]');
  await page.waitForSelector('h1:has-text("Online contest on administrative reform")');
  await page.click('a[lang=vi]');
  await page.waitForSelector('h1:has-text("Hội thi trực tuyến")');
  await page.context().close();
});

test('the WASM and JS are served precompressed', async () => {
  const wasm = await fetch(`${BASE}/pkg/app_bg.wasm`, { headers: { 'accept-encoding': 'br' } });
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-encoding'), 'br');
  const js = await fetch(`${BASE}/pkg/app.js`, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(js.headers.get('content-encoding'), 'gzip');
});

test('forgotten password on a phone: the sign-in page offers a reset, and a link from an admin sets a new password', async () => {
  const page = await phonePage(browser);
  const name = "Lương Thị Quên";
  const email = await registerAndSignIn(page, { name, unitName: 'Phường Hải An' });
  await page.context().clearCookies();

  // Asking: the same answer whether or not the address has an account.
  await page.goto(`${BASE}/login`);
  await page.click('a:has-text("Quên mật khẩu?")');
  await page.waitForURL(/\/quen-mat-khau$/);
  assert.match(await page.title(), /^Quên mật khẩu · /);
  await page.fill('#f-email', email);
  await page.click('button:has-text("Gửi liên kết đặt lại mật khẩu")');
  await page.waitForSelector('#reset-sent');
  await screenshot(page, 'forgot-password-sent-360');

  // She cannot read that mailbox: an admin makes a link on the user list.
  const adminPage = await phonePage(browser, { viewport: { width: 1280, height: 900 } });
  await json(await adminPage.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: ADMIN.email, password: ADMIN.password } }));
  await adminPage.goto(`${BASE}/admin/users?q=${encodeURIComponent(email)}`);
  await waitHydrated(adminPage);
  await adminPage.selectOption('#reset-user', { label: `${name} — ${email}` });
  await adminPage.click('button:has-text("Tạo liên kết đặt lại mật khẩu")');
  await adminPage.waitForSelector('#reset-link');
  const link = await adminPage.inputValue('#reset-link');
  assert.match(link, /\/dat-lai-mat-khau\?token=[0-9a-f]{32}$/);

  await page.goto(link);
  await page.fill('#f-password', 'mật-khẩu-mới-2026');
  await page.fill('#f-password_confirm', 'mật-khẩu-mới-2026');
  await page.click('button:has-text("Lưu mật khẩu mới")');
  await page.waitForURL(/\/login\?reset=1$/);
  await page.waitForSelector('#reset-done');
  await page.fill('#f-identifier', email);
  await page.fill('#f-password', 'mật-khẩu-mới-2026');
  await page.click('form button[type=submit]');
  await page.waitForURL(`${BASE}/`);
  // The link worked once.
  const again = await page.goto(link);
  assert.equal(again.status(), 410);
  assert.match(await page.textContent('#reset-invalid'), /không còn dùng được/);
  await page.context().close();
  await adminPage.context().close();
});
