// End-to-end tests of taking a round in headless Chromium against the real server (seeded with
// the demo contest): a full attempt on a 360 px phone with a reload that resumes, no answer key
// in the page before submitting, the same attempt without JavaScript, and time-up, where the
// browser's countdown and the server's own sweep both submit; then the organizer publishes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ADMIN, phonePage, waitHydrated, uniqueDigits, sharedBrowser, json, registerAndSignIn, screenshot } from './browser.mjs';

const browser = sharedBrowser();


/** Registers a civil servant of Phường Hải An and signs this page's context in as them. */
async function signUp(page, name) {
  await registerAndSignIn(page, { name, unitName: 'Phường Hải An' });
}

async function openDemoRound(page) {
  const rounds = await json(await page.request.get(`${BASE}/api/v1/rounds`));
  const round = rounds.find((r) => r.phase === 'open' && r.title === 'Đợt 3');
  assert.ok(round, 'the demo contest has an open round');
  return round.id;
}

async function adminContext() {
  const page = await phonePage(browser, { viewport: { width: 1280, height: 900 } });
  await json(await page.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: ADMIN.email, password: ADMIN.password } }));
  return page;
}

test('a full attempt on a phone: answers are saved as chosen, a reload resumes, no key before submitting', async () => {
  const page = await phonePage(browser);
  await signUp(page, 'Vũ Thị Hồng Nhung');
  const round = await openDemoRound(page);
  await page.goto(`${BASE}/thi/${round}`);
  await waitHydrated(page);
  // The round page says which attempt counts.
  assert.match(await page.textContent('dl.facts'), /Lượt thi được tính\s*Lượt có kết quả cao nhất/);
  await page.click('button:has-text("Bắt đầu làm bài")');
  await page.waitForURL(/\/bai-thi\/\d+$/);
  await waitHydrated(page);
  const url = page.url();

  // The page as the server sent it carries no answer key and no explanation.
  const admin = await adminContext();
  const bank = await json(await admin.request.get(`${BASE}/api/v1/questions`));
  const source = await (await page.request.get(url)).text();
  for (const leak of ['"correct"', '"weight"', 'answer_key', '"explanation"']) assert.ok(!source.includes(leak), `no ${leak} in the page`);
  for (const q of bank.filter((q) => q.explanation)) assert.ok(!source.includes(q.explanation), `explanation of #${q.id} not in the page`);

  assert.equal(await page.locator('fieldset.question:not(.prediction)').count(), 10);
  assert.match(await page.textContent('.countdown .clock'), /^(19|20):\d\d$/);
  await page.waitForFunction(() => /^19:/.test(document.querySelector('.countdown .clock').textContent));
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no sideways scrolling at 360 px (scrollWidth ${width})`);

  // Answer the first three questions; each is acknowledged by the server beside it.
  for (const n of [1, 2, 3]) {
    await page.click(`#cau-${n} label.option >> nth=0`);
    await page.waitForSelector(`#cau-${n} .saved:has-text("Đã lưu lúc")`);
  }
  await page.fill('#f-prediction', '1234');
  await page.press('#f-prediction', 'Tab');
  await page.waitForSelector('.prediction .saved');
  assert.match(await page.textContent('[aria-live=polite].hint'), /Đã trả lời 3\/10 câu/);

  // Reload mid-attempt: the same attempt, with the answers and the prediction.
  await page.reload();
  await waitHydrated(page);
  assert.equal(page.url(), url);
  for (const n of [1, 2, 3]) assert.ok(await page.isChecked(`#cau-${n} input >> nth=0`), `question ${n} still answered`);
  assert.equal(await page.inputValue('#f-prediction'), '1234');

  // One tap on "Nộp bài" asks first, with what is unanswered and what remains; "Làm tiếp" goes
  // back to the questions with nothing submitted.
  await page.click('button:has-text("Nộp bài")');
  const dialog = page.locator('.confirm-submit[role=alertdialog]');
  await dialog.waitFor({ state: 'visible' });
  assert.match(await dialog.textContent(), /Bạn còn 7 câu chưa trả lời \(trên tổng số 10 câu\)/);
  assert.match(await dialog.textContent(), /Sau khi nộp, bạn còn 1 lượt thi/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'confirm-submit', 'the confirm button has the focus');
  await screenshot(page, 'confirm-submit-360');
  await dialog.locator('button:has-text("Làm tiếp")').click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(page.url(), url, 'still on the attempt');
  const still = await json(await page.request.get(`${BASE}/api/v1/attempts/${url.split('/').pop()}`));
  assert.equal(still.status, 'open', 'nothing was submitted');
  await page.click('button:has-text("Nộp bài")');
  await page.click('#confirm-submit');
  await page.waitForURL(/\/ket-qua$/);
  await page.waitForSelector('h1:has-text("Kết quả bài thi")');
  assert.match(await page.textContent('.result .score'), /^\d+ \/ 10$/);
  assert.match(await page.textContent('.result'), /1234/);
  await page.context().close();
  await admin.context().close();
});

test('without JavaScript a participant starts, answers and submits with plain forms', async () => {
  const setup = await phonePage(browser);
  await signUp(setup, 'Đỗ Minh Khôi');
  const round = await openDemoRound(setup);
  const state = await setup.context().storageState();
  await setup.context().close();

  const page = await phonePage(browser, { javaScriptEnabled: false, storageState: state });
  await page.goto(`${BASE}/thi/${round}`);
  await page.click('button:has-text("Bắt đầu làm bài")');
  await page.waitForURL(/\/bai-thi\/\d+$/);
  assert.match(await page.textContent('.countdown'), /hạn nộp \d\d\/\d\d\/\d{4} \d\d:\d\d/);
  for (let n = 1; n <= 10; n++) await page.check(`#cau-${n} input >> nth=0`);
  await page.fill('#f-prediction', '5.000');
  await page.click('button:has-text("Lưu bài")');
  await page.waitForSelector('.notice:has-text("Đã lưu các câu trả lời")');
  assert.ok(await page.isChecked('#cau-10 input >> nth=0'), 'saved answers come back checked');
  await page.click('button:has-text("Nộp bài")');
  // Without JavaScript the question is asked on a page of its own; the answers are saved.
  await page.waitForURL(/\/nop$/);
  assert.match(await page.textContent('.confirm-submit'), /Bạn đã trả lời đủ 10 câu/);
  assert.match(await page.title(), /^Xác nhận nộp bài · /);
  await page.click('button:has-text("Nộp bài")');
  await page.waitForURL(/\/ket-qua$/);
  assert.match(await page.textContent('.result'), /5000/);
  await page.context().close();
});

test('time-up: the countdown submits in the browser, the server submits for a browser that is gone, then the organizer publishes', async () => {
  const admin = await adminContext();
  const now = Math.floor(Date.now() / 1000);
  const contest = await json(await admin.request.post(`${BASE}/api/v1/contests`, { data: { title: `Thi nhanh ${uniqueDigits(6)}`, year: 2026 } }));
  const round = await json(await admin.request.post(`${BASE}/api/v1/contests/${contest.id}/rounds`, { data: {
    title: 'Đợt chớp nhoáng', opens_at: now - 60, closes_at: now + 20, draw_rules: [{ count: 3 }], time_limit_secs: 600,
    prediction_question: 'Có bao nhiêu lượt dự thi?', prizes: [{ name: 'Giải Nhất', count: 1 }, { name: 'Giải Nhì', count: 1 }],
  } }));

  // Someone starts, answers one question through the API, and leaves.
  const gone = await phonePage(browser);
  await signUp(gone, 'Hoàng Văn Vắng');
  const left = await json(await gone.request.post(`${BASE}/api/v1/rounds/${round.id}/attempts`));
  await json(await gone.request.put(`${BASE}/api/v1/attempts/${left.id}/answers/1`, { data: { answer: [0] } }));
  await json(await gone.request.put(`${BASE}/api/v1/attempts/${left.id}/prediction`, { data: { value: 2 } }));

  const page = await phonePage(browser);
  await signUp(page, 'Bùi Thu Trang');
  await page.goto(`${BASE}/thi/${round.id}`);
  await waitHydrated(page);
  await page.click('button:has-text("Bắt đầu làm bài")');
  await page.waitForURL(/\/bai-thi\/\d+$/);
  await waitHydrated(page);
  await page.click('#cau-1 label.option >> nth=0');
  await page.waitForSelector('#cau-1 .saved');
  // The deadline is the round's close: the countdown reaches zero and the page moves on.
  await page.waitForURL(/\/ket-qua$/, { timeout: 40000 });
  await page.waitForSelector('h1:has-text("Kết quả bài thi")');

  // The server submitted the abandoned attempt by itself.
  let result;
  for (let i = 0; i < 40; i++) {
    const r = await gone.request.get(`${BASE}/api/v1/attempts/${left.id}/result`);
    if (r.ok()) { result = await r.json(); break; }
    await new Promise((ok) => setTimeout(ok, 500));
  }
  assert.ok(result, 'the abandoned attempt was submitted');
  assert.equal(result.submitted_by, 'server');

  // The organizer sees the proposed winners with their reasons and publishes.
  // The true value of the prediction freezes once the round has closed.
  for (let i = 0; i < 40; i++) {
    if ((await json(await admin.request.get(`${BASE}/api/v1/rounds/${round.id}`))).truth_frozen_at) break;
    await new Promise((ok) => setTimeout(ok, 500));
  }
  await admin.goto(`${BASE}/admin/rounds/${round.id}`);
  await admin.waitForSelector('h2:has-text("Xếp hạng và đề xuất giải")');
  await waitHydrated(admin);
  assert.match(await admin.textContent('main'), /2 \(chốt lúc/);
  assert.equal(await admin.locator('section:has(#ranking) tbody tr').count(), 2);
  assert.match(await admin.textContent('section:has(#ranking) tbody'), /Điểm|Chênh lệch dự đoán|Thời gian làm bài|Nộp bài sớm hơn|Đồng hạng/);
  // Publishing asks first (see organizer.test.mjs for the confirmations themselves).
  await admin.click('#publish-results summary');
  await admin.click('#publish-results button:has-text("Xác nhận")');
  await admin.waitForSelector('#publish-results summary:has-text("Thu hồi công bố")');
  const pub = await phonePage(browser);
  await pub.goto(`${BASE}/ket-qua/${round.id}`);
  await pub.waitForSelector('h1:has-text("Kết quả Đợt chớp nhoáng")');
  const table = await pub.textContent('table');
  assert.match(table, /Giải Nhất/);
  assert.match(table, /Phường Hải An/);
  assert.ok(!table.includes('Bùi Thu Trang') && !table.includes('Hoàng Văn Vắng'), 'names are masked');
  assert.ok(table.includes('Bùi T. T**') || table.includes('Hoàng V. V**'), table);
  // On a 360 px phone each winner is a card: the unit and the score are on screen.
  for (const label of ['Đơn vị', 'Điểm']) {
    const cell = await pub.locator(`#winners tbody tr >> nth=0 >> td[data-label="${label}"]`).boundingBox();
    assert.ok(cell && cell.x >= 0 && cell.x + cell.width <= 360, `${label} visible at 360 px: ${JSON.stringify(cell)}`);
  }
  assert.match(await pub.textContent('#prediction-truth'), /\d/);
  await screenshot(pub, 'public-results-360');
  for (const p of [pub, page, gone, admin]) await p.context().close();
});
