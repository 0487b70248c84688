// End-to-end tests of the organizer's round form and question bank in headless Chromium: the
// draw-rule builder with the bank's counts, the same form without JavaScript (rules typed as
// text, Vietnamese difficulty words, errors by line), and a question's edit page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, ADMIN, phonePage, waitHydrated, uniqueDigits, sharedBrowser, json, screenshot } from './browser.mjs';

const browser = sharedBrowser();

async function adminPage(options = {}) {
  const page = await phonePage(browser, { viewport: { width: 1280, height: 900 }, ...options });
  await json(await page.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: ADMIN.email, password: ADMIN.password } }));
  return page;
}

async function newContest(page) {
  return json(await page.request.post(`${BASE}/api/v1/contests`, { data: { title: `Hội thi thử ${uniqueDigits(6)}`, year: 2026 } }));
}

const DIFFICULTY_VI = { easy: 'Dễ', medium: 'Trung bình', hard: 'Khó' };

async function fillRoundBasics(page, title) {
  await page.fill('#f-title', title);
  await page.fill('#f-opens_at', '2026-12-20T08:00');
  await page.fill('#f-closes_at', '2026-12-27T17:00');
}

test('the draw-rule builder shows what the bank holds, warns on too many, and saves what was built', async () => {
  const page = await adminPage();
  const contest = await newContest(page);
  const pool = await json(await page.request.get(`${BASE}/api/v1/rounds/draw-pool?audience=staff`));
  // The largest group of one topic and difficulty, and a difficulty to take from anywhere.
  const group = [...pool.groups].sort((a, b) => b.count - a.count)[0];
  const otherDifficulty = ['hard', 'medium', 'easy'].find((d) => d !== group.difficulty);
  const ofOther = pool.groups.filter((g) => g.difficulty === otherDifficulty).reduce((n, g) => n + g.count, 0);
  assert.ok(group.count >= 2 && ofOther >= 2, JSON.stringify(pool));

  await page.goto(`${BASE}/admin/contests/${contest.id}`);
  await waitHydrated(page);
  // With JavaScript the builder replaces the text box (which stays in the form, hidden).
  await page.waitForSelector('#rule-builder');
  assert.equal(await page.isVisible('#f-draw_rules'), false);
  await page.waitForSelector('.rule-row >> nth=0 >> .rule-available:has-text("câu phù hợp")');
  assert.match(await page.textContent('.rule-row >> nth=0 >> .rule-available'), new RegExp(`Có ${pool.total} câu phù hợp`));

  // Row 1: the group, all of it. Rows 2 and 3 are added.
  await page.fill('#rule-count-0', String(group.count));
  await page.selectOption('#rule-topic-0', { label: group.topic });
  await page.selectOption('#rule-difficulty-0', { label: DIFFICULTY_VI[group.difficulty] });
  await page.waitForSelector(`.rule-row >> nth=0 >> .rule-available:has-text("Có ${group.count} câu phù hợp")`);
  await page.click('#rule-add');
  await page.fill('#rule-count-1', '2');
  await page.selectOption('#rule-difficulty-1', { label: DIFFICULTY_VI[otherDifficulty] });
  await page.waitForSelector(`.rule-row >> nth=1 >> .rule-available:has-text("Có ${ofOther} câu phù hợp")`);
  await page.click('#rule-add');
  assert.equal(await page.locator('.rule-row').count(), 3);
  // Row 3 asks for the whole pool: after rows 1 and 2 there is less left, and it says so.
  await page.fill('#rule-count-2', String(pool.total));
  const left = pool.total - group.count - 2;
  const warning = page.locator('.rule-row >> nth=2 >> .rule-warning');
  await warning.waitFor();
  assert.match(await warning.textContent(), new RegExp(`cần ${pool.total} câu nhưng chỉ còn ${left} câu phù hợp`));
  assert.match(await page.textContent('.rule-row >> nth=2 >> .rule-available'), new RegExp(`Có ${pool.total} câu phù hợp, còn ${left} câu sau các dòng trên`));
  assert.equal(await page.locator('.rule-row >> nth=0 >> .rule-warning').count(), 0, 'the rows that fit have no warning');
  assert.match(await page.textContent('#rules-total'), new RegExp(`bốc ${group.count + 2 + pool.total} câu trong ${pool.total} câu`));
  await page.locator('#rule-builder').scrollIntoViewIfNeeded();
  await screenshot(page, 'draw-rule-builder-counts');

  // Row 3 goes; the form saves rows 1 and 2, exactly.
  await page.click('.rule-row >> nth=2 >> .rule-remove');
  assert.equal(await page.locator('.rule-row').count(), 2);
  assert.equal(await page.locator('.rule-warning').count(), 0);
  await fillRoundBasics(page, 'Đợt dựng bằng công cụ');
  await page.click('section:has(#new-round) button[type=submit]');
  await page.waitForURL(/\/admin\/rounds\/\d+$/);
  const round = await json(await page.request.get(`${BASE}/api/v1/rounds/${page.url().split('/').pop()}`));
  assert.deepEqual(round.draw_rules, [
    { count: group.count, topic: group.topic, difficulty: group.difficulty },
    { count: 2, topic: '', difficulty: otherDifficulty },
  ]);
  // The round's own page builds from the saved rules.
  await waitHydrated(page);
  await page.waitForSelector('#rule-builder');
  assert.equal(await page.inputValue('#rule-count-0'), String(group.count));
  assert.equal(await page.locator('.rule-row').count(), 2);
  // The control room's figures refresh every 15 s; a rule being edited stays as typed.
  await page.fill('#rule-count-1', '1');
  await page.waitForTimeout(16000);
  assert.equal(await page.inputValue('#rule-count-1'), '1', 'the refresh did not reset the settings form');
  await page.context().close();
});

test('without JavaScript the rules are typed as text, with Vietnamese difficulties, and errors name the line', async () => {
  const setup = await adminPage();
  const contest = await newContest(setup);
  const pool = await json(await setup.request.get(`${BASE}/api/v1/rounds/draw-pool?audience=staff`));
  const easy = pool.groups.find((g) => g.difficulty === 'easy' && g.count >= 2);
  assert.ok(easy, JSON.stringify(pool));
  const state = await setup.context().storageState();
  await setup.context().close();

  const page = await phonePage(browser, { viewport: { width: 1280, height: 900 }, javaScriptEnabled: false, storageState: state });
  await page.goto(`${BASE}/admin/contests/${contest.id}`);
  assert.equal(await page.isVisible('#f-draw_rules'), true, 'the text box is the form');
  assert.equal(await page.locator('#rule-builder').count(), 0);
  assert.match(await page.textContent('section:has(#new-round)'), /số câu \| chủ đề \| độ khó \(dễ, trung bình, khó\)/);

  // A line that cannot be read comes back named, next to the field.
  await fillRoundBasics(page, 'Đợt gõ tay');
  await page.fill('#f-draw_rules', `2 | ${easy.topic} | dễ\nba câu | | khó`);
  await page.click('section:has(#new-round) button[type=submit]');
  await page.waitForSelector('#err-draw_rules');
  assert.match(await page.textContent('#err-draw_rules'), /^Dòng 2: số câu ở đầu dòng phải là số nguyên/);

  await fillRoundBasics(page, 'Đợt gõ tay');
  await page.fill('#f-draw_rules', `2 | ${easy.topic} | DỄ\n1 |  | Kho`);
  await page.click('section:has(#new-round) button[type=submit]');
  await page.waitForURL(/\/admin\/rounds\/\d+$/);
  const round = await json(await page.request.get(`${BASE}/api/v1/rounds/${page.url().split('/').pop()}`));
  assert.deepEqual(round.draw_rules, [{ count: 2, topic: easy.topic, difficulty: 'easy' }, { count: 1, topic: '', difficulty: 'hard' }]);
  assert.equal(await page.inputValue('#f-draw_rules'), `2 | ${easy.topic} | dễ\n1 |  | khó`);
  await page.context().close();
});

test('a question of the bank opens in its edit page, refuses a bad edit by its field, and saves a new version', async () => {
  const page = await adminPage();
  await page.goto(`${BASE}/admin/questions?q=sipas`);
  await waitHydrated(page);
  const row = page.locator('#question-table tbody tr >> nth=0');
  assert.equal((await row.locator('td.status').textContent()).trim(), 'Đang dùng', 'an active question reads as in use');
  await row.locator('a.edit-question').click();
  await page.waitForURL(/\/admin\/questions\/\d+$/);
  const id = page.url().split('/').pop();
  const before = await json(await page.request.get(`${BASE}/api/v1/questions/${id}`));
  await page.waitForSelector('h1:has-text("Sửa câu hỏi")');
  await waitHydrated(page);
  assert.equal(await page.inputValue('#f-text'), before.text);

  await page.fill('#f-text', '');
  await page.click('button:has-text("Lưu")');
  await page.waitForSelector('#err-text');
  assert.equal((await json(await page.request.get(`${BASE}/api/v1/questions/${id}`))).version, before.version, 'nothing saved');

  await page.fill('#f-text', `${before.text} (đã sửa)`);
  await page.selectOption('#f-q-difficulty', { label: 'Khó' });
  await page.fill('#f-explanation', 'Giải thích mới.');
  await page.click('button:has-text("Lưu")');
  await page.waitForURL(/\/admin\/questions\?edited=\d+$/);
  await page.waitForSelector(`.notice:has-text("Đã lưu câu hỏi #${id}")`);
  const after = await json(await page.request.get(`${BASE}/api/v1/questions/${id}`));
  assert.deepEqual([after.version, after.text, after.difficulty, after.explanation], [before.version + 1, `${before.text} (đã sửa)`, 'hard', 'Giải thích mới.']);
  await page.context().close();
});
