// The participant's pages on "a mid-range phone on slow 4G" (headless Chromium through CDP:
// 1.6 Mbps down, 750 kbps up, 150 ms latency, CPU 4x slower, no cache, 360x740): bytes over
// the wire per page (HTML, WASM, JS, CSS) and the timings that matter on a deadline day
// (first question readable, page interactive, an answer acknowledged). Not a test: a
// measurement, run by `scripts/phone-profile.sh`, which prints medians over several runs.
//
// Environment: E2E_BASE_URL (a server seeded with the demo contest), RUNS (default 5).
import { BASE, launch, phoneProfile, uniqueDigits } from './browser.mjs';

const RUNS = Number(process.env.RUNS ?? 5);

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : NaN;
}

/** A fresh participant (signed in, in this context) and an open attempt of the demo round. */
async function participant(context) {
  const request = context.request;
  const units = await (await request.get(`${BASE}/api/v1/units?q=hai%20an`)).json();
  const unit = units.find((u) => u.unit.name === 'Phường Hải An').unit.id;
  const d = uniqueDigits(6);
  const r = await request.post(`${BASE}/api/v1/auth/register?sign_in=true`, { data: {
    full_name: 'Phạm Thị Đo Đạc', unit_id: unit, position: 'Chuyên viên', phone: `+84 92 ${d.slice(0, 3)} ${d.slice(3)}${Math.floor(Math.random() * 10)}`,
    email: `do.dac.${d}.${Math.floor(Math.random() * 1e6)}@haiphong.gov.vn`, cccd: `0318${uniqueDigits(8)}`,
    password: 'mật-khẩu-đủ-dài', password_confirm: 'mật-khẩu-đủ-dài',
  } });
  if (!r.ok()) throw new Error(`register: ${r.status()} ${await r.text()}`);
  const rounds = await (await request.get(`${BASE}/api/v1/rounds`)).json();
  const round = rounds.find((x) => x.phase === 'open' && x.title === 'Đợt 3');
  const attempt = await (await request.post(`${BASE}/api/v1/rounds/${round.id}/attempts`)).json();
  return { round: round.id, attempt: attempt.id };
}

/** Records, in the page, when the first question and the hydrated islands appear. */
const MARKS = `
  window.__marks = {};
  const mark = () => {
    const m = window.__marks;
    if (!m.readable && document.querySelector('#cau-1 legend, main h1')) m.readable = performance.now();
    if (!m.interactive) {
      const app = document.querySelector('#app');
      const islands = [...document.querySelectorAll('leptos-island')];
      const done = app && (app.dataset.bundle === 'full' ? app.dataset.hydrated === 'true'
        : islands.every((i) => i.querySelector('[data-hydrated="true"]')));
      if (done && document.readyState !== 'loading') m.interactive = performance.now();
    }
  };
  // A page without islands changes nothing once parsed: the parse's end marks it too.
  new MutationObserver(mark).observe(document, { subtree: true, childList: true, attributes: true });
  document.addEventListener('DOMContentLoaded', mark);
  window.addEventListener('load', mark);
`;

/** Loads `path` on the phone profile; returns bytes by kind and the marks. */
async function load(browser, storageState, path) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN', storageState });
  const page = await context.newPage();
  await page.addInitScript(MARKS);
  const cdp = await phoneProfile(page);
  const kinds = new Map();
  const bytes = { html: 0, wasm: 0, js: 0, css: 0, other: 0 };
  cdp.on('Network.responseReceived', (e) => {
    const url = e.response.url;
    const kind = e.type === 'Document' ? 'html' : url.endsWith('.wasm') ? 'wasm' : url.endsWith('.js') || e.type === 'Script' ? 'js' : url.endsWith('.css') ? 'css' : 'other';
    kinds.set(e.requestId, kind);
  });
  cdp.on('Network.loadingFinished', (e) => {
    const kind = kinds.get(e.requestId);
    if (kind) bytes[kind] += e.encodedDataLength;
  });
  await page.goto(`${BASE}${path}`, { waitUntil: 'load', timeout: 60000 });
  await page.waitForFunction(() => window.__marks.interactive, null, { timeout: 60000 });
  await page.waitForTimeout(300);
  const marks = await page.evaluate(() => window.__marks);
  return { context, page, bytes, marks };
}

/** Clicks an option of each of `n` questions and times each until the server acknowledges it. */
async function acknowledgements(page, n) {
  const times = [];
  for (let q = 1; q <= n; q++) {
    const ms = await page.evaluate(async (q) => {
      const status = document.querySelector(`#cau-${q} .save-status span`);
      const t0 = performance.now();
      // An option not chosen yet: clicking a radio that is already checked changes nothing
      // (each run reopens the same attempt).
      const labels = [...document.querySelectorAll(`#cau-${q} label.option`)];
      labels.find((l) => !l.querySelector('input').checked).click();
      await new Promise((resolve) => {
        const check = () => (status.className === 'saved' ? resolve() : requestAnimationFrame(check));
        check();
      });
      return performance.now() - t0;
    }, q);
    times.push(ms);
  }
  return times;
}

const browser = await launch();
const setup = await browser.newContext();
const ids = await participant(setup);
const state = await setup.storageState();
await setup.close();
const routes = [
  ['home', '/', null],
  ['sign-in', '/login', null],
  ['registration', '/register', null],
  ['round', `/thi/${ids.round}`, state],
  ['attempt', `/bai-thi/${ids.attempt}`, state],
];
const results = {};
for (const [name, path, storage] of routes) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const { context, page, bytes, marks } = await load(browser, storage, path);
    const run = { bytes, readable: marks.readable, interactive: marks.interactive };
    if (name === 'attempt') run.acks = await acknowledgements(page, 5);
    runs.push(run);
    await context.close();
  }
  results[name] = runs;
}
// The result page of an attempt submitted now.
{
  const ctx = await browser.newContext({ storageState: state });
  await ctx.request.post(`${BASE}/api/v1/attempts/${ids.attempt}/submit`);
  await ctx.close();
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const { context, bytes, marks } = await load(browser, state, `/bai-thi/${ids.attempt}/ket-qua`);
    runs.push({ bytes, readable: marks.readable, interactive: marks.interactive });
    await context.close();
  }
  results.result = runs;
}
await browser.close();

const kb = (b) => (b / 1024).toFixed(1);
console.log(`Phone profile: 1.6 Mbps down, 750 kbps up, 150 ms latency, CPU x4, no cache, 360x740; medians of ${RUNS} runs.\n`);
console.log('| page | HTML KB | WASM KB | JS KB | CSS KB | WASM + JS KB | readable ms | interactive ms | answer ack ms |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const summary = {};
for (const [name, runs] of Object.entries(results)) {
  const m = (f) => median(runs.map(f));
  const acks = runs.flatMap((r) => r.acks ?? []);
  const row = {
    html: m((r) => r.bytes.html), wasm: m((r) => r.bytes.wasm), js: m((r) => r.bytes.js), css: m((r) => r.bytes.css),
    code: m((r) => r.bytes.wasm + r.bytes.js), readable: m((r) => r.readable), interactive: m((r) => r.interactive), ack: acks.length ? median(acks) : null,
  };
  summary[name] = row;
  console.log(`| ${name} | ${kb(row.html)} | ${kb(row.wasm)} | ${kb(row.js)} | ${kb(row.css)} | **${kb(row.code)}** | ${row.readable.toFixed(0)} | ${row.interactive.toFixed(0)} | ${row.ack === null ? '—' : row.ack.toFixed(0)} |`);
}
if (process.env.JSON_OUT) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(process.env.JSON_OUT, JSON.stringify(summary, null, 2));
}
