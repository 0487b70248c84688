// Organizers' drafts and confirmations in headless Chromium: a new contest and round are drafts
// that participants do not see; announcing, deleting a draft, publishing results and
// disqualifying after publication each ask first, say what will happen, and can be cancelled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ADMIN, phonePage, waitHydrated, uniqueDigits, sharedBrowser, json, registerAndSignIn, screenshot } from './browser.mjs';

const browser = sharedBrowser();

async function adminPage() {
  const page = await phonePage(browser, { viewport: { width: 1280, height: 900 } });
  await json(await page.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: ADMIN.email, password: ADMIN.password } }));
  return page;
}

/** Opens a confirmation box and checks it says `message`, with the focus moved into it. */
async function openConfirm(page, id, message) {
  await page.click(`#${id} summary`);
  const box = page.locator(`#${id} .confirm-box`);
  await box.waitFor({ state: 'visible' });
  assert.match(await box.textContent(), message);
  await page.waitForFunction((id) => document.activeElement?.closest(`#${id} .confirm-box`), id);
  return box;
}

async function listedRoundIds(page) {
  return (await json(await page.request.get(`${BASE}/api/v1/rounds`))).map((r) => r.id);
}

test('a new contest and round are drafts until announced; cancelling changes nothing; a draft can be deleted', async () => {
  const admin = await adminPage();
  // The contest form saves a draft unless told otherwise.
  await admin.goto(`${BASE}/admin/contests`);
  await waitHydrated(admin);
  const title = `Hội thi nháp ${uniqueDigits(6)}`;
  await admin.fill('#f-title', title);
  assert.ok(await admin.isChecked('input[name="draft"]'), 'draft is the default');
  await admin.click('section:has(#new-contest) button[type="submit"]');
  await admin.waitForURL(/\/admin\/contests\/\d+$/);
  const contestId = Number(admin.url().split('/').pop());
  await admin.waitForSelector('#contest-draft:has-text("người dự thi chưa thấy")');

  const now = Math.floor(Date.now() / 1000);
  // Upcoming, not open: other browser tests read the city's one open round (the demo's Đợt 3)
  // as the participation page's default, and run beside this one.
  const settings = { opens_at: now + 3600, closes_at: now + 7200, draw_rules: [{ count: 3 }], time_limit_secs: 600, prediction_question: 'Có bao nhiêu lượt dự thi?' };
  const round = await json(await admin.request.post(`${BASE}/api/v1/contests/${contestId}/rounds`, { data: { ...settings, title: 'Đợt nháp', draft: true } }));
  const spare = await json(await admin.request.post(`${BASE}/api/v1/contests/${contestId}/rounds`, { data: { ...settings, title: 'Đợt bỏ', draft: true } }));

  const person = await phonePage(browser);
  await registerAndSignIn(person, { name: 'Đinh Thị Nháp', unitName: 'Phường Hải An' });
  assert.ok(!(await listedRoundIds(person)).includes(round.id), 'a draft is not listed');
  assert.equal((await person.request.get(`${BASE}/thi/${round.id}`)).status(), 404);

  // Announcing the round asks first; cancelling leaves it a draft.
  await admin.goto(`${BASE}/admin/rounds/${round.id}`);
  await waitHydrated(admin);
  await admin.waitForSelector('#round-draft');
  const box = await openConfirm(admin, 'round-announce', /Người dự thi sẽ thấy đợt này/);
  await screenshot(admin, 'announce-round-confirm');
  await admin.click('#round-announce button.confirm-cancel');
  await box.waitFor({ state: 'hidden' });
  assert.equal((await json(await admin.request.get(`${BASE}/api/v1/rounds/${round.id}`))).draft, true, 'cancel changed nothing');

  await openConfirm(admin, 'round-announce', /Người dự thi sẽ thấy đợt này/);
  await admin.click('#round-announce button:has-text("Xác nhận")');
  // The round is announced, but its contest is still a draft, and the page says so.
  await admin.waitForSelector('#contest-hides-round');
  await admin.waitForSelector('#round-draft', { state: 'detached' });
  assert.ok(!(await listedRoundIds(person)).includes(round.id), 'a draft contest hides its rounds');

  // The contest is announced from its page: now participants see the round on the home page.
  await admin.goto(`${BASE}/admin/contests/${contestId}`);
  await waitHydrated(admin);
  await openConfirm(admin, 'contest-announce', /Công khai cuộc thi\?/);
  await admin.click('#contest-announce button:has-text("Xác nhận")');
  await admin.waitForSelector('#contest-draft', { state: 'detached' });
  assert.ok((await listedRoundIds(person)).includes(round.id));
  await person.goto(`${BASE}/`);
  assert.match(await person.textContent('main'), /Đợt nháp/);
  assert.ok(!(await person.textContent('main')).includes('Đợt bỏ'), 'the other draft stays hidden');

  // The unused draft is deleted (after a confirmation) and the page goes back to the contest.
  await admin.goto(`${BASE}/admin/rounds/${spare.id}`);
  await waitHydrated(admin);
  await openConfirm(admin, 'round-delete', /Không thể hoàn tác/);
  await admin.click('#round-delete button:has-text("Xác nhận")');
  await admin.waitForURL(new RegExp(`/admin/contests/${contestId}$`));
  assert.equal((await admin.request.get(`${BASE}/api/v1/rounds/${spare.id}`)).status(), 404);
  for (const p of [admin, person]) await p.context().close();
});

test('publishing asks first, and disqualifying after publication warns that public results change, with the undo', async () => {
  const admin = await adminPage();
  const rounds = await json(await admin.request.get(`${BASE}/api/v1/rounds`));
  const published = rounds.find((r) => r.title === 'Đợt 2' && r.published);
  assert.ok(published, 'the demo has a published round');
  await admin.goto(`${BASE}/admin/rounds/${published.id}`);
  await waitHydrated(admin);

  // Withdrawing publication asks, and can be cancelled.
  await openConfirm(admin, 'publish-results', /Thu hồi công bố\?/);
  await admin.click('#publish-results button.confirm-cancel');
  assert.ok((await json(await admin.request.get(`${BASE}/api/v1/rounds/${published.id}`))).published_at, 'still published');

  // Disqualifying after publication: the box says the public results change and how to undo.
  const ranking = await json(await admin.request.get(`${BASE}/api/v1/rounds/${published.id}/ranking`));
  const before = await (await admin.request.get(`${BASE}/api/v1/rounds/${published.id}/results`)).text();
  const first = ranking.entries[0];
  await admin.fill('#f-user_id', `#${first.user_id}`);
  await admin.fill('#f-reason', 'Kiểm thử: thi hộ (xác minh lại)');
  await openConfirm(admin, 'disqualify-published', /Kết quả đã công bố.*Khôi phục/s);
  await screenshot(admin, 'disqualify-after-publication-confirm');
  await admin.click('#disqualify-published button:has-text("Xác nhận")');
  await admin.waitForSelector(`li:has-text("#${first.user_id}")`);
  const after = await (await admin.request.get(`${BASE}/api/v1/rounds/${published.id}/results`)).text();
  assert.notEqual(after, before, 'the public results changed at once');

  // The undo: reinstating with a reason puts the entry back.
  await admin.fill(`#lift-${first.user_id}`, 'Đã xác minh: không thi hộ');
  await admin.click(`li:has-text("#${first.user_id}") button:has-text("Khôi phục")`);
  await admin.waitForSelector(`li:has-text("#${first.user_id}")`, { state: 'detached' });
  const again = await json(await admin.request.get(`${BASE}/api/v1/rounds/${published.id}/ranking`));
  assert.equal(again.entries[0].user_id, first.user_id);
  assert.equal(await (await admin.request.get(`${BASE}/api/v1/rounds/${published.id}/results`)).text(), before, 'and the public results are as before');
  await admin.context().close();
});
