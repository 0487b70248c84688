// A screenshot tour of the pages people complained about (issue 13), for before/after records:
//   E2E_BASE_URL=… E2E_ADMIN_EMAIL=… E2E_ADMIN_PASSWORD=… node tour.mjs OUT_DIR
// against a server seeded with the demo. Not a test (it asserts nothing and tolerates pages
// that differ between versions); the tests decide, this only photographs. PDFs are turned into
// JPEG pages with pdftoppm.
import { mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { BASE, ADMIN, launch, phonePage, waitHydrated, uniqueDigits, json, registerAndSignIn } from './browser.mjs';

const out = process.argv[2] ?? 'tour';
mkdirSync(out, { recursive: true });
const browser = await launch();

async function shot(page, name, { full = true } = {}) {
  try {
    // JPEG at moderate quality: the records are kept in the repository, so they stay small.
    // At most 2,400 px of a long page: the top is what changed.
    const { width, height } = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
    const clip = full ? { x: 0, y: 0, width, height: Math.min(height, 2400) } : undefined;
    await page.screenshot({ path: `${out}/${name}.jpg`, fullPage: full, clip, type: 'jpeg', quality: 50 });
    console.log(`${name}.jpg`);
  } catch (e) { console.log(`${name}: ${e.message.split('\n')[0]}`); }
}

async function visit(page, path, name, { before } = {}) {
  try {
    await page.goto(`${BASE}${path}`);
    await waitHydrated(page).catch(() => {});
    if (before) await before(page);
    await shot(page, name);
  } catch (e) { console.log(`${name}: ${e.message.split('\n')[0]}`); }
}

async function pdf(page, path, name) {
  try {
    const r = await page.request.get(`${BASE}${path}`);
    writeFileSync(`${out}/${name}.pdf`, await r.body());
    execFileSync('pdftoppm', ['-jpeg', '-jpegopt', 'quality=60', '-r', '60', '-f', '1', '-l', '3', `${out}/${name}.pdf`, `${out}/${name}`]);
    execFileSync('rm', ['-f', `${out}/${name}.pdf`]);
    console.log(`${name}-*.jpg`);
  } catch (e) { console.log(`${name}: ${e.message.split('\n')[0]}`); }
}

const admin = await phonePage(browser, { viewport: { width: 1280, height: 900 } });
await json(await admin.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: ADMIN.email, password: ADMIN.password } }));
const rounds = await json(await admin.request.get(`${BASE}/api/v1/rounds`));
const byTitle = (t) => rounds.find((r) => r.title === t);
const [closed, published, open] = [byTitle('Đợt 1'), byTitle('Đợt 2'), byTitle('Đợt 3')];

// A participant on a phone.
const person = await phonePage(browser);
await registerAndSignIn(person, { name: 'Nguyễn Thị Ảnh', unitName: 'Phường Hải An' });
await visit(person, '/profile?welcome=1', 'participant-welcome-360');
await visit(person, '/', 'participant-home-360');
await visit(person, `/thi/${open.id}`, 'participant-round-360');
await visit(person, `/thi/${closed.id}`, 'participant-closed-round-360');
await visit(person, `/ket-qua/${published.id}`, 'participant-public-results-360');
try {
  await person.goto(`${BASE}/thi/${open.id}`);
  await waitHydrated(person);
  await person.click('button:has-text("Bắt đầu làm bài")');
  await person.waitForURL(/\/bai-thi\/\d+$/);
  await waitHydrated(person);
  await person.fill('input[name="prediction"]', '5.000').catch(() => {});
  await shot(person, 'participant-prediction-360', { full: false });
  await person.click('button:has-text("Nộp bài")');
  await person.waitForTimeout(1500);
  await shot(person, 'participant-after-one-tap-on-submit-360', { full: false });
} catch (e) { console.log(`attempt: ${e.message.split('\n')[0]}`); }
await visit(person, '/login', 'login-360');

// A unit focal point of Sở Y tế on a phone.
try {
  const units = await json(await admin.request.get(`${BASE}/api/v1/units?q=${encodeURIComponent('Sở Y tế')}`));
  const health = units.find((u) => u.unit.name === 'Sở Y tế').unit.id;
  const manager = await phonePage(browser);
  const email = await registerAndSignIn(manager, { name: 'Lê Thị Đầu Mối', unitName: 'Sở Y tế', emailPrefix: 'daumoi' });
  const me = await json(await manager.request.get(`${BASE}/api/v1/me`));
  await admin.request.put(`${BASE}/api/v1/users/${me.id}/roles/unit_manager`, { data: { unit_id: health } });
  await json(await manager.request.post(`${BASE}/api/v1/auth/login`, { data: { identifier: email, password: 'mật-khẩu-đủ-dài' } }));
  await visit(manager, `/tham-gia?round=${closed.id}`, 'manager-participation-closed-360');
  await visit(manager, `/tham-gia?round=${open.id}`, 'manager-participation-open-360');
} catch (e) { console.log(`manager: ${e.message.split('\n')[0]}`); }

// Organizers at a desk.
const contestId = open.contest_id;
await visit(admin, `/admin/contests/${contestId}`, 'organizer-contest-and-round-form');
await visit(admin, `/admin/rounds/${published.id}`, 'organizer-round-control-room');
await visit(admin, '/admin/questions', 'organizer-question-bank');
await visit(admin, '/admin/units', 'organizer-units');
await visit(admin, `/tham-gia?round=${closed.id}`, 'organizer-participation');
await visit(admin, '/admin/bao-cao?year=2026', 'organizer-annual-report');
await admin.context().addCookies([{ name: 'lang', value: 'en', url: BASE }]);
await visit(admin, `/tham-gia?round=${closed.id}`, 'organizer-participation-english');
await visit(admin, '/admin/bao-cao?year=2026', 'organizer-annual-report-english');
await admin.context().addCookies([{ name: 'lang', value: 'vi', url: BASE }]);
await visit(admin, '/admin/giai-thuong', 'organizer-awards');
const editions = await json(await admin.request.get(`${BASE}/api/v1/award-competitions`)).catch(() => []);
for (const e of editions.slice(0, 2)) {
  await visit(admin, `/admin/giai-thuong/${e.id}`, `organizer-award-${e.id}`);
  await pdf(admin, `/api/v1/award-competitions/${e.id}/minutes.pdf`, `award-${e.id}-minutes`);
  await pdf(admin, `/api/v1/award-competitions/${e.id}/certificates.pdf`, `award-${e.id}-certificates`);
}
await pdf(admin, '/api/v1/reports/annual?year=2026&format=pdf', 'annual-report');
await visit(person, '/giai-thuong', 'entrant-awards-360');
await browser.close();
