// End-to-end test of the press and broadcast award in headless Chromium against the real server:
// an entrant submits an entry with an audio file on a phone; a judge scores it with the player
// (seeking in the audio); the organizer closes the preliminary, moves it to the final, allocates
// prizes with a council change, publishes; the certificate and the minutes open as PDFs with
// correct Vietnamese text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, ADMIN, phonePage, waitHydrated, uniqueDigits, sharedBrowser, json, screenshot } from './browser.mjs';

const browser = sharedBrowser();


/** Three seconds of a 440 Hz tone as 8 kHz 8-bit mono WAV. */
function wav(seconds = 3) {
  const rate = 8000, n = rate * seconds;
  const b = Buffer.alloc(44 + n);
  b.write('RIFF', 0); b.writeUInt32LE(36 + n, 4); b.write('WAVEfmt ', 8); b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22); b.writeUInt32LE(rate, 24); b.writeUInt32LE(rate, 28);
  b.writeUInt16LE(1, 32); b.writeUInt16LE(8, 34); b.write('data', 36); b.writeUInt32LE(n, 40);
  for (let i = 0; i < n; i++) b[44 + i] = Math.round(128 + 60 * Math.sin((i * 440 * 2 * Math.PI) / rate));
  return b;
}

async function signUp(page, name, unitName) {
  const units = await json(await page.request.get(`${BASE}/api/v1/units?q=${encodeURIComponent(unitName)}`));
  const unit = units.find((u) => u.unit.name === unitName).unit.id;
  const d = uniqueDigits(6);
  const email = `aw.${d}.${Math.floor(Math.random() * 1e6)}@haiphong.gov.vn`;
  const me = await json(await page.request.post(`${BASE}/api/v1/auth/register`, { data: {
    full_name: name, unit_id: unit, position: 'Phóng viên', phone: `+84 97 ${d.slice(0, 3)} ${d.slice(3)}${Math.floor(Math.random() * 10)}`,
    email, cccd: `0310${uniqueDigits(8)}`, password: 'mật-khẩu-đủ-dài', password_confirm: 'mật-khẩu-đủ-dài',
  } }));
  await json(await page.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: email, password: 'mật-khẩu-đủ-dài' } }));
  return (await json(await page.request.get(`${BASE}/api/v1/me`))).id ?? me;
}

function pdfText(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'aw-'));
  const file = join(dir, 'f.pdf');
  writeFileSync(file, bytes);
  // Lines wrap where the layout puts them: compare with single spaces.
  return execFileSync('pdftotext', ['-layout', file, '-']).toString().replace(/\s+/g, ' ');
}

test('an edition from entry to certificate: audio entry, judging with the player, final, council, publication', async () => {
  const admin = await phonePage(browser, { viewport: { width: 1280, height: 900 } });
  await json(await admin.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: ADMIN.email, password: ADMIN.password } }));
  const rubric = [{ code: 'c1', label: 'Nội dung', max: 40 }, { code: 'c2', label: 'Hình thức', max: 30 }, { code: 'c3', label: 'Hiệu quả', max: 30 }];
  const title = `Giải phát thanh cơ sở kiểm thử ${uniqueDigits(5)}`;
  const c = await json(await admin.request.post(`${BASE}/api/v1/award-competitions`, { data: {
    edition: 2026, title, genres: ['radio'], window_from: '2025-11-01', window_to: '2026-10-31', deadline: Math.floor(Date.now() / 1000) + 3600,
    max_entries_per_author: 3, max_file_mb: 20, required_fields: ['outlet', 'file'], prize_per_genre: false,
    prize_plan: [{ name: 'Giải A', count: 1 }, { name: 'Giải B', count: 1 }], rubric_preliminary: rubric, rubric_final: rubric,
    judges_per_entry: 1, aggregation: 'mean', normalise: false, shortlist: { rule: 'top', value: 5 }, blind: true,
  } }));

  // The judge: registered in another ward, given the role by the admin.
  const judge = await phonePage(browser, { viewport: { width: 1280, height: 900 } });
  const judgeId = await signUp(judge, 'Đỗ Thị Giám Khảo', 'Phường Lê Chân');
  await json(await admin.request.put(`${BASE}/api/v1/users/${judgeId}/roles/judge`, { data: {} }));

  // The entrant on a phone: a draft, its fields, an audio file, submission.
  const entrant = await phonePage(browser);
  await signUp(entrant, 'Nguyễn Thị Phóng Viên', 'Phường Hải An');
  await entrant.goto(`${BASE}/giai-thuong`);
  await waitHydrated(entrant);
  await entrant.selectOption('#f-competition', String(c.id));
  await entrant.fill('#f-title', 'Phóng sự: Một cửa điện tử ở phường Hải An');
  await entrant.getByRole('button', { name: 'Tạo bản nháp' }).click();
  await entrant.waitForURL(/\/tac-pham\/\d+$/);
  const entryId = Number(entrant.url().split('/').pop());
  await waitHydrated(entrant);
  await entrant.fill('#f-outlet', 'Đài truyền thanh phường Hải An');
  await entrant.fill('#f-published_on', '2026-05-19');
  await entrant.fill('#f-duration', '9:30');
  await entrant.fill('#f-script', 'Phát thanh viên: Thưa quý vị, bộ phận một cửa của phường đã số hóa toàn bộ hồ sơ.');
  // A date outside the window is refused beside the field, and nothing typed is lost.
  await entrant.fill('#f-published_on', '2025-10-31');
  await entrant.getByRole('button', { name: 'Lưu nháp' }).click();
  await entrant.waitForSelector('[id="err-published_on"]');
  assert.match(await entrant.textContent('[id="err-published_on"]'), /ngoài thời gian quy định.*01\/11\/2025 – 31\/10\/2026/);
  assert.equal(await entrant.inputValue('#f-outlet'), 'Đài truyền thanh phường Hải An');
  await entrant.fill('#f-published_on', '2026-05-19');
  await entrant.getByRole('button', { name: 'Lưu nháp' }).click();
  await entrant.waitForSelector('[id="err-published_on"]', { state: 'detached' });
  await entrant.waitForFunction(() => document.querySelector('#f-outlet')?.value === 'Đài truyền thanh phường Hải An');
  // Saving says so, with the time.
  await entrant.waitForSelector('#draft-saved');
  assert.match(await entrant.textContent('#draft-saved'), /Đã lưu nháp lúc \d\d:\d\d/);
  // Too large for the edition (20 MB): refused in the page before anything is sent…
  const big = Buffer.concat([wav(1), Buffer.alloc(21 * 1024 * 1024)]);
  await entrant.setInputFiles('#f-file', { name: 'quá lớn.wav', mimeType: 'audio/wav', buffer: big });
  await entrant.waitForSelector('#err-file-size');
  await entrant.getByRole('button', { name: 'Tải lên' }).click();
  assert.match(entrant.url(), /\/tac-pham\/\d+$/, 'the form was not sent');
  // …and, without JavaScript, by the server, with the message on the page (not a reset).
  const noJs = await phonePage(browser, { javaScriptEnabled: false, storageState: await entrant.context().storageState() });
  await noJs.goto(`${BASE}/tac-pham/${entryId}`);
  await noJs.setInputFiles('#f-file', { name: 'quá lớn.wav', mimeType: 'audio/wav', buffer: big });
  await Promise.all([noJs.waitForEvent('load'), noJs.getByRole('button', { name: 'Tải lên' }).click()]);
  assert.match(await noJs.textContent('#err-file'), /quá lớn|vượt/i);
  await noJs.context().close();
  // A file whose content is not audio is refused beside the field.
  await entrant.setInputFiles('#f-file', { name: 'gia-mao.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from('%PDF-1.7 giả mạo') });
  await entrant.getByRole('button', { name: 'Tải lên' }).click();
  await entrant.waitForSelector('#err-file');
  assert.match(await entrant.textContent('#err-file'), /không đúng với định dạng/);
  // Text typed and not yet saved survives an upload: the file goes up from the page, with a
  // progress bar (seen by an observer, however fast the upload), and the list grows in place.
  const unsaved = 'Phát thanh viên: Thưa quý vị, bộ phận một cửa của phường đã số hóa toàn bộ hồ sơ. Câu này chưa lưu.';
  await entrant.fill('#f-script', unsaved);
  await entrant.evaluate(() => {
    window.__sawProgress = false;
    new MutationObserver(() => { if (document.querySelector('progress#upload-progress')) window.__sawProgress = true; })
      .observe(document.body, { subtree: true, childList: true });
  });
  await entrant.setInputFiles('#f-file', { name: 'phóng sự.wav', mimeType: 'audio/wav', buffer: wav(3) });
  await entrant.getByRole('button', { name: 'Tải lên' }).click();
  await entrant.waitForSelector('.file-list audio');
  assert.match(await entrant.textContent('#file-notice'), /Đã tải lên tệp “phóng sự.wav”/);
  assert.ok(await entrant.evaluate(() => window.__sawProgress), 'a progress bar was shown');
  assert.equal(await entrant.inputValue('#f-script'), unsaved, 'typed text is still there');
  assert.equal(await entrant.inputValue('#f-outlet'), 'Đài truyền thanh phường Hải An');
  // Name, size and kind read as separate items.
  assert.match(await entrant.textContent('.file-list li'), /phóng sự\.wav \(\d+ KB\) · Âm thanh · Xóa tệp/);
  await screenshot(entrant, 'award-entry-after-upload-360', { fullPage: true });
  // The file can be deleted, still without losing the text.
  await entrant.getByRole('button', { name: 'Xóa tệp phóng sự.wav' }).click();
  await entrant.waitForSelector('.file-list audio', { state: 'detached' });
  assert.match(await entrant.textContent('#file-notice'), /Đã xóa tệp/);
  assert.equal(await entrant.inputValue('#f-script'), unsaved);
  assert.equal(await json(await entrant.request.get(`${BASE}/api/v1/award-entries/${entryId}`)).then((e) => e.files.length), 0);
  await entrant.setInputFiles('#f-file', { name: 'phóng sự.wav', mimeType: 'audio/wav', buffer: wav(3) });
  await entrant.getByRole('button', { name: 'Tải lên' }).click();
  await entrant.waitForSelector('.file-list audio');
  await entrant.getByRole('button', { name: 'Lưu nháp' }).click();
  await entrant.waitForFunction(() => document.querySelector('#f-script')?.value.endsWith('Câu này chưa lưu.') && document.querySelector('#draft-saved'));
  await entrant.getByRole('button', { name: 'Nộp tác phẩm' }).click();
  await entrant.waitForSelector('.badge.status-submitted');
  // The banner says it was submitted, not the upload of before.
  assert.match(await entrant.textContent('#entry-state'), /Đã nộp tác phẩm lúc \d\d\/\d\d\/\d{4} \d\d:\d\d/);
  assert.ok(!(await entrant.textContent('main')).includes('Đã tải tệp lên'), 'no stale upload banner');

  // The organizer closes the call, sets both panels and assigns.
  await admin.goto(`${BASE}/admin/giai-thuong/${c.id}`);
  await waitHydrated(admin);
  // Closing early asks first, saying what it does; focus goes to the box; Cancel backs out.
  await admin.locator('#close-call > summary').click();
  await admin.waitForFunction(() => document.activeElement?.id === 'close-call-box');
  const closeBox = await admin.textContent('#close-call-box');
  assert.match(closeBox, /Khóa nhận tác phẩm trước hạn\?/);
  assert.match(closeBox, /1 tác phẩm đã nộp sẽ được đưa vào sơ khảo\. 0 bản nháp chưa nộp sẽ không thể nộp nữa/);
  assert.match(closeBox, /Có thể mở lại nhận tác phẩm đến/);
  await admin.getByRole('button', { name: 'Hủy' }).click();
  assert.equal(await admin.locator('#close-call').getAttribute('open'), null);
  assert.equal(await admin.textContent('#phase'), 'Đang nhận tác phẩm', 'nothing happened');
  await admin.locator('#close-call > summary').click();
  await admin.getByRole('button', { name: 'Xác nhận khóa nhận tác phẩm' }).click();
  await admin.waitForFunction(() => document.querySelector('#phase')?.textContent === 'Sơ khảo');
  // …and can be undone before the deadline, then closed again.
  await admin.getByRole('button', { name: 'Mở lại nhận tác phẩm' }).click();
  await admin.waitForFunction(() => document.querySelector('#phase')?.textContent === 'Đang nhận tác phẩm');
  await admin.locator('#close-call > summary').click();
  await admin.getByRole('button', { name: 'Xác nhận khóa nhận tác phẩm' }).click();
  await admin.waitForFunction(() => document.querySelector('#phase')?.textContent === 'Sơ khảo');
  for (let i = 0; i < 2; i++) {
    const form = admin.locator('form.judges-form').nth(i);
    await form.locator(`input[name="judges"][value="${judgeId}"]`).check();
    await Promise.all([admin.waitForEvent('load'), form.getByRole('button', { name: 'Lưu tiểu ban' }).click()]);
    await waitHydrated(admin);
  }
  await admin.getByRole('button', { name: 'Phân công tự động' }).click();
  await admin.waitForSelector('.notice');

  // The judge scores with the player: blind, the audio seeks (range requests), then the rubric.
  await judge.goto(`${BASE}/giam-khao`);
  await waitHydrated(judge);
  await judge.getByRole('link', { name: 'Phóng sự: Một cửa điện tử ở phường Hải An' }).click();
  await judge.waitForSelector('audio');
  await waitHydrated(judge);
  assert.ok(!(await judge.content()).includes('Nguyễn Thị Phóng Viên'), 'blind: no author on the judge page');
  const seeked = await judge.evaluate(() => new Promise((resolve, reject) => {
    const a = document.querySelector('audio');
    const go = () => { a.addEventListener('seeked', () => resolve(a.currentTime), { once: true }); a.currentTime = 2.0; };
    if (a.readyState >= 1) go(); else a.addEventListener('loadedmetadata', go, { once: true });
    a.addEventListener('error', () => reject(new Error('audio error')), { once: true });
    a.load?.call && a.readyState === 0 && a.load();
  }));
  assert.ok(seeked >= 1.9, `seeked to ${seeked}`);
  assert.match(await judge.textContent('#score-hint'), /8,5/, 'the sheet says decimals are accepted');
  // Two boxes out of range: each gets its own message; nothing is saved.
  await judge.fill('#f-c1', '45');
  await judge.fill('#f-c2', '31');
  await judge.getByRole('button', { name: 'Nộp điểm' }).click();
  await judge.waitForSelector('[id="err-criteria.c2"]');
  assert.match(await judge.textContent('[id="err-criteria.c1"]'), /ngoài thang.*0–40/);
  assert.match(await judge.textContent('[id="err-criteria.c2"]'), /ngoài thang.*0–30/);
  assert.equal(await judge.inputValue('#f-c2'), '31', 'refused points stay typed');
  await judge.fill('#f-c2', '27');
  await judge.fill('#f-c1', '36,5');
  await judge.fill('#f-c3', '28');
  await judge.getByRole('button', { name: 'Lưu nháp' }).click();
  await judge.waitForSelector('.notice');
  await judge.getByRole('button', { name: 'Nộp điểm' }).click();
  await judge.waitForFunction(() => document.querySelector('.notice')?.textContent.includes('Đã nộp điểm'));

  // Preliminary closes; the entry moves to the final.
  await admin.reload();
  await waitHydrated(admin);
  await admin.getByRole('button', { name: 'Khóa tiểu ban' }).first().click();
  await admin.waitForSelector('text=91,50');
  await admin.getByRole('button', { name: 'Chọn tác phẩm vào chung khảo' }).click();
  await admin.waitForFunction(() => document.querySelector('#phase')?.textContent === 'Chung khảo');
  await admin.getByRole('button', { name: 'Phân công tự động' }).click();
  await admin.waitForSelector('.notice');
  const finals = (await json(await judge.request.get(`${BASE}/api/v1/award-assignments`))).filter((a) => a.stage === 'final');
  assert.equal(finals.length, 1);
  await json(await judge.request.put(`${BASE}/api/v1/award-assignments/${finals[0].id}/score`, { data: { criteria: { c1: 3600, c2: 2700, c3: 2700 }, submit: true } }));
  await admin.reload();
  await waitHydrated(admin);
  await admin.getByRole('button', { name: 'Khóa tiểu ban' }).first().click();
  await admin.waitForFunction(() => document.querySelector('#phase')?.textContent === 'Hội đồng xét giải');

  // The council: proposed Giải A; it decides Giải B instead, with a reason.
  const row = admin.locator('table.allocation tbody tr').first();
  assert.match(await row.textContent(), /Giải A/);
  await admin.selectOption('select[name="tier"]', 'Giải B');
  await admin.fill('[id="mreason-all"]', 'Hội đồng đánh giá tác phẩm đạt mức giải B');
  await admin.getByRole('button', { name: 'Ghi quyết định' }).click();
  await admin.waitForSelector('tr.moved');
  assert.match(await admin.locator('tr.moved').textContent(), /Giải B.*Hội đồng đánh giá/s);
  // Publishing asks first and says it can be withdrawn.
  await admin.locator('#publish > summary').click();
  await admin.waitForFunction(() => document.activeElement?.id === 'publish-box');
  assert.match(await admin.textContent('#publish-box'), /1 giải sẽ được công bố công khai.*thu hồi công bố/s);
  await admin.getByRole('button', { name: 'Xác nhận công bố' }).click();
  await admin.waitForFunction(() => document.querySelector('#phase')?.textContent === 'Đã công bố');

  // The minutes and the certificate, opened and read.
  const minutes = await admin.request.get(`${BASE}/api/v1/award-competitions/${c.id}/minutes.pdf`);
  assert.equal(minutes.status(), 200);
  const minutesText = pdfText(await minutes.body());
  assert.match(minutesText, /BIÊN BẢN Họp Hội đồng chung khảo/);
  assert.match(minutesText, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
  assert.match(minutesText, /Hội đồng đánh giá tác phẩm đạt mức giải B/);
  assert.match(minutesText, /Đỗ Thị Giám Khảo/);

  const visitor = await phonePage(browser);
  await visitor.goto(`${BASE}/giai-thuong/${c.id}/ket-qua`);
  await waitHydrated(visitor);
  assert.match(await visitor.textContent('table.results'), /Giải B.*Phóng sự: Một cửa điện tử ở phường Hải An.*Nguyễn Thị Phóng Viên/s);
  const cert = await visitor.request.get(`${BASE}/api/v1/award-entries/${entryId}/certificate.pdf`);
  assert.equal(cert.headers()['content-type'], 'application/pdf');
  const certText = pdfText(await cert.body());
  assert.match(certText, /GIẤY CHỨNG NHẬN/);
  assert.match(certText, /Nguyễn Thị Phóng Viên/);
  assert.match(certText, /Đạt Giải B/);
});

/**
 * Through the API: an edition (1 Giải A, 1 Giải B, one judge) whose three entries score 94, 80
 * and 80, taken to the council. The two at 80 tie at the B cut-off: both get B.
 */
async function councilWithATie(admin) {
  const rubric = [{ code: 'c1', label: 'Nội dung', max: 40 }, { code: 'c2', label: 'Hình thức', max: 30 }, { code: 'c3', label: 'Hiệu quả', max: 30 }];
  const c = await json(await admin.request.post(`${BASE}/api/v1/award-competitions`, { data: {
    edition: 2026, title: `Giải đồng điểm kiểm thử ${uniqueDigits(5)}`, genres: ['radio'], window_from: '2025-11-01', window_to: '2026-10-31',
    deadline: Math.floor(Date.now() / 1000) + 3600, max_entries_per_author: 5, max_file_mb: 20, required_fields: [], prize_per_genre: false,
    prize_plan: [{ name: 'Giải A', count: 1 }, { name: 'Giải B', count: 1 }], rubric_preliminary: rubric, rubric_final: rubric,
    judges_per_entry: 1, aggregation: 'mean', normalise: false, shortlist: { rule: 'top', value: 5 }, blind: true,
  } }));
  const judge = await phonePage(browser);
  const judgeId = await signUp(judge, 'Phạm Văn Giám Khảo', 'Phường Lê Chân');
  await json(await admin.request.put(`${BASE}/api/v1/users/${judgeId}/roles/judge`, { data: {} }));
  const entrant = await phonePage(browser);
  await signUp(entrant, 'Lê Thị Tác Giả', 'Phường Hải An');
  const units = await json(await entrant.request.get(`${BASE}/api/v1/units?q=${encodeURIComponent('Phường Hải An')}`));
  const unit = units.find((u) => u.unit.name === 'Phường Hải An').unit.id;
  const ids = [];
  for (const [i, title] of ['Một cửa điện tử', 'Dịch vụ công trực tuyến', 'Chính quyền số'].entries()) {
    const e = await json(await entrant.request.post(`${BASE}/api/v1/award-competitions/${c.id}/entries`, { data: {
      genre: 'radio', title, authors: [{ full_name: 'Lê Thị Tác Giả', share_percent: 100 }], unit_id: unit, outlet: 'Đài phường', published_on: `2026-0${i + 1}-15`, duration_secs: 300, script: 'Kịch bản',
    } }));
    await json(await entrant.request.post(`${BASE}/api/v1/award-entries/${e.id}/submit`));
    ids.push(e.id);
  }
  await json(await admin.request.post(`${BASE}/api/v1/award-competitions/${c.id}/close-call`, { data: {} }));
  for (const stage of ['preliminary', 'final']) {
    await json(await admin.request.put(`${BASE}/api/v1/award-competitions/${c.id}/panels/${stage}/radio`, { data: { judges: [judgeId] } }));
    await json(await admin.request.post(`${BASE}/api/v1/award-competitions/${c.id}/assignments/auto`, { data: { stage } }));
    for (const a of (await json(await judge.request.get(`${BASE}/api/v1/award-assignments`))).filter((x) => x.stage === stage)) {
      const best = a.entry.id === ids[0];
      await json(await judge.request.put(`${BASE}/api/v1/award-assignments/${a.id}/score`, { data: { criteria: { c1: best ? 3800 : 3000, c2: best ? 2800 : 2500, c3: best ? 2800 : 2500 }, submit: true } }));
    }
    const panel = (await json(await admin.request.get(`${BASE}/api/v1/award-competitions/${c.id}/panels`))).find((p) => p.stage === stage);
    await json(await admin.request.post(`${BASE}/api/v1/award-panels/${panel.id}/close`, { data: {} }));
    if (stage === 'preliminary') await json(await admin.request.post(`${BASE}/api/v1/award-competitions/${c.id}/shortlist`, { data: {} }));
  }
  await judge.context().close();
  await entrant.context().close();
  return { id: c.id, ids };
}

const code = (id) => `TP-${String(id).padStart(4, '0')}`;

test('a tie at a prize cut-off is shown where the council decides, and must be accepted or resolved before publication', async () => {
  const admin = await phonePage(browser, { viewport: { width: 1280, height: 900 } });
  await json(await admin.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: ADMIN.email, password: ADMIN.password } }));
  const { id, ids } = await councilWithATie(admin);
  await admin.goto(`${BASE}/admin/giai-thuong/${id}`);
  await waitHydrated(admin);
  const box = admin.locator('#tie-all');
  const text = await box.textContent();
  assert.match(text, /Đồng điểm tại ngưỡng giải Giải B/);
  assert.ok(text.includes(code(ids[1])) && text.includes(code(ids[2])), 'the tied entries are named');
  assert.ok(!text.includes(code(ids[0])), 'the leader is not part of the tie');
  assert.match(text, /Cơ cấu giải đang áp dụng: 1 Giải A, 1 Giải B\..*kết quả thực tế là: 1 Giải A, 2 Giải B/s);
  assert.match(text, /Hội đồng cần quyết định trước khi công bố/);
  // Publication is not offered while the tie is open (and the API refuses it).
  assert.match(await admin.textContent('#publish-blocked'), /Chưa thể công bố/);
  assert.equal(await admin.locator('#publish').count(), 0);
  const refused = await admin.request.post(`${BASE}/api/v1/award-competitions/${id}/publish`, { data: {} });
  assert.equal(refused.status(), 409);
  await box.scrollIntoViewIfNeeded();
  await screenshot(admin, 'award-council-tie');
  // The council accepts, with its reason; the box says so and publication opens.
  await admin.fill('[id="tie-reason-all"]', 'Hai tác phẩm ngang nhau, cùng trao giải B');
  await admin.getByRole('button', { name: 'Chấp nhận kết quả: 1 Giải A, 2 Giải B' }).click();
  await admin.waitForFunction(() => document.querySelector('#tie-all')?.textContent.includes('Hội đồng đã chấp nhận kết quả đồng điểm'));
  assert.match(await admin.textContent('#allocation'), /Chấp nhận kết quả đồng điểm tại ngưỡng giải.*Hai tác phẩm ngang nhau/s);
  await admin.locator('#publish > summary').click();
  assert.match(await admin.textContent('#publish-box'), /3 giải sẽ được công bố/);
  await admin.getByRole('button', { name: 'Xác nhận công bố' }).click();
  await admin.waitForFunction(() => document.querySelector('#phase')?.textContent === 'Đã công bố');
  // Withdrawing publication asks too.
  await admin.locator('#unpublish > summary').click();
  assert.match(await admin.textContent('#unpublish-box'), /không còn công khai/);
  await admin.context().close();
});
