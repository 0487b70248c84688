// End-to-end tests of the attempt page on a bad network, in headless Chromium: no choice is
// ever lost. A choice clicked before the page is interactive (phone profile), choices made
// offline (shown as not saved, sent without a click when the network is back), unsaved choices
// kept across a reload, queued choices at time-up (sent before submitting, or named as not
// counted), and a save refused because the attempt was submitted elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ADMIN, phonePage, phoneProfile, waitHydrated, uniqueDigits, sharedBrowser, json, registerAndSignIn } from './browser.mjs';

const browser = sharedBrowser();


/** Registers (and so signs in) a civil servant of Phường Hải An in this page's context. */
async function signUp(page, name) {
  await registerAndSignIn(page, { name, unitName: 'Phường Hải An', emailPrefix: 'mang.yeu', phonePrefix: '94', cccdPrefix: '0313' });
}

async function startDemoAttempt(page) {
  const rounds = await json(await page.request.get(`${BASE}/api/v1/rounds`));
  const round = rounds.find((r) => r.phase === 'open' && r.title === 'Đợt 3');
  assert.ok(round, 'the demo contest has an open round');
  return json(await page.request.post(`${BASE}/api/v1/rounds/${round.id}/attempts`));
}

/** The answers the server holds, by position (as shown). */
async function stored(page, attemptId) {
  const view = await json(await page.request.get(`${BASE}/api/v1/attempts/${attemptId}`));
  return Object.fromEntries(view.questions.map((q) => [q.position, q.answer]));
}

const SAVES = '**/api/v1/attempts/*/answers/*';

test('a choice clicked before the page is interactive, on a slow phone, is saved', async () => {
  const page = await phonePage(browser);
  await signUp(page, 'Lê Thị Sớm');
  const attempt = await startDemoAttempt(page);
  await phoneProfile(page);
  // The WASM is held back until the choice is made, so the click surely comes first.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/pkg/attempt_bg.wasm', async (route) => { await held; await route.continue(); });
  await page.goto(`${BASE}/bai-thi/${attempt.id}`, { waitUntil: 'domcontentloaded' });
  await page.click('#cau-1 label.option >> nth=1');
  assert.equal(await page.getAttribute('leptos-island section', 'data-hydrated'), 'false', 'not interactive yet');
  release();
  await waitHydrated(page);
  await page.waitForSelector('#cau-1 .saved:has-text("Đã lưu lúc")', { timeout: 30000 });
  assert.deepEqual((await stored(page, attempt.id))[1], [1]);
  await page.context().close();
});

test('offline mid-attempt: three choices wait as not saved, and are saved without a click when the network is back', async () => {
  const page = await phonePage(browser);
  await signUp(page, 'Trịnh Văn Mất Sóng');
  const attempt = await startDemoAttempt(page);
  await page.goto(`${BASE}/bai-thi/${attempt.id}`);
  await waitHydrated(page);
  await page.context().setOffline(true);
  for (const n of [1, 2, 3]) {
    await page.click(`#cau-${n} label.option >> nth=0`);
    await page.waitForSelector(`#cau-${n} .unsaved:has-text("Chưa lưu — sẽ gửi lại khi có mạng")`);
  }
  assert.match(await page.textContent('.unsaved-banner'), /Còn 3 câu trả lời chưa lưu/);
  // Leaving now would lose them: the page asks first.
  let asked = false;
  page.once('dialog', async (dialog) => { asked = dialog.type() === 'beforeunload'; await dialog.dismiss(); });
  await page.evaluate(() => { window.location.href = '/thi'; }).catch(() => {});
  await page.waitForTimeout(500);
  assert.ok(asked, 'leaving with unsaved answers asks for confirmation');
  assert.match(page.url(), /\/bai-thi\//, 'the person stayed on the attempt');

  await page.context().setOffline(false);
  for (const n of [1, 2, 3]) await page.waitForSelector(`#cau-${n} .saved:has-text("Đã lưu lúc")`);
  assert.equal(await page.locator('.unsaved-banner').count(), 0);
  const answers = await stored(page, attempt.id);
  for (const n of [1, 2, 3]) assert.deepEqual(answers[n], [0], `question ${n} saved`);
  await page.context().close();
});

test('unsaved choices survive a reload from the browser storage and are sent once the server is reachable', async () => {
  const page = await phonePage(browser);
  await signUp(page, 'Hà Thị Tải Lại');
  const attempt = await startDemoAttempt(page);
  await page.goto(`${BASE}/bai-thi/${attempt.id}`);
  await waitHydrated(page);
  // Saves cannot reach the server (the page itself can still be reloaded: without a service
  // worker a browser cannot reload a page while fully offline).
  await page.route(SAVES, (route) => route.abort('internetdisconnected'));
  // Every question has at least two options (some are true/false): the second is always there.
  for (const n of [4, 5]) {
    await page.click(`#cau-${n} label.option >> nth=1`);
    await page.waitForSelector(`#cau-${n} .unsaved`);
  }
  page.on('dialog', (dialog) => dialog.accept());
  await page.reload();
  await waitHydrated(page);
  for (const n of [4, 5]) {
    assert.ok(await page.isChecked(`#cau-${n} input >> nth=1`), `question ${n} restored from the browser`);
    await page.waitForSelector(`#cau-${n} .unsaved`);
  }
  assert.deepEqual((await stored(page, attempt.id))[4], [], 'not on the server yet');
  await page.unroute(SAVES);
  for (const n of [4, 5]) await page.waitForSelector(`#cau-${n} .saved`, { timeout: 40000 });
  const answers = await stored(page, attempt.id);
  assert.deepEqual(answers[4], [1]);
  assert.deepEqual(answers[5], [1]);
  assert.equal(await page.evaluate((id) => localStorage.getItem(`hp.unsaved.${id}`), attempt.id), null, 'the browser copy is cleared once saved');
  await page.context().close();
});

test('time-up with queued choices: they are sent before the submission, or the person is told which did not count', async () => {
  const admin = await phonePage(browser);
  await json(await admin.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: ADMIN.email, password: ADMIN.password } }));
  const now = Math.floor(Date.now() / 1000);
  const contest = await json(await admin.request.post(`${BASE}/api/v1/contests`, { data: { title: `Thi hết giờ ${uniqueDigits(6)}`, year: 2026 } }));
  const round = await json(await admin.request.post(`${BASE}/api/v1/contests/${contest.id}/rounds`, { data: {
    title: 'Đợt hết giờ', opens_at: now - 60, closes_at: now + 25, grace_secs: 0, draw_rules: [{ count: 3 }], time_limit_secs: 600,
    prediction_question: 'Có bao nhiêu lượt dự thi?',
  } }));

  const lucky = await phonePage(browser);
  const unlucky = await phonePage(browser);
  await signUp(lucky, 'Vũ Văn Kịp');
  await signUp(unlucky, 'Đào Thị Lỡ');
  const attempts = [];
  for (const page of [lucky, unlucky]) {
    const attempt = await json(await page.request.post(`${BASE}/api/v1/rounds/${round.id}/attempts`));
    attempts.push(attempt);
    await page.goto(`${BASE}/bai-thi/${attempt.id}`);
    await waitHydrated(page);
    await page.route(SAVES, (route) => route.abort('internetdisconnected'));
    for (const n of [1, 2]) {
      await page.click(`#cau-${n} label.option >> nth=0`);
      await page.waitForSelector(`#cau-${n} .unsaved`);
    }
  }
  // The first one's network comes back a moment before time-up; the second one's does not.
  const deadline = attempts[0].deadline_ms;
  await lucky.waitForTimeout(Math.max(0, deadline - Date.now() - 2500));
  await lucky.unroute(SAVES);

  await lucky.waitForURL(/\/ket-qua$/, { timeout: 40000 });
  const kept = await stored(lucky, attempts[0].id);
  assert.deepEqual([kept[1], kept[2]], [[0], [0]], 'queued choices were sent before the submission');

  await unlucky.waitForURL(/\/ket-qua\?chua-luu=/, { timeout: 40000 });
  const note = await unlucky.textContent('#unsaved-note');
  assert.match(note, /không được tính/);
  assert.match(note, /Câu 1/);
  assert.match(note, /Câu 2/);
  const lost = await stored(unlucky, attempts[1].id);
  assert.deepEqual(lost[1], [], 'what never reached the server is not counted');
  for (const p of [admin, lucky, unlucky]) await p.context().close();
});

test('a choice for an attempt submitted elsewhere is refused with 409, and the page says so', async () => {
  const page = await phonePage(browser);
  await signUp(page, 'Quách Văn Hai Máy');
  const attempt = await startDemoAttempt(page);
  await page.goto(`${BASE}/bai-thi/${attempt.id}`);
  await waitHydrated(page);
  // Submitted from another device.
  await json(await page.request.post(`${BASE}/api/v1/attempts/${attempt.id}/submit`));
  const refused = page.waitForResponse((r) => r.url().includes('/answers/1') && r.status() === 409);
  await page.click('#cau-1 label.option >> nth=0');
  await refused;
  await page.waitForSelector('.attempt > .form-error:has-text("đã được nộp")');
  await page.waitForSelector('#cau-1 .save-failed');
  assert.match(await page.textContent('.attempt > .form-error'), /không được tính: Câu 1/);
  await page.context().close();
});
