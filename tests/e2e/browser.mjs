// Launches Debian's Chromium (never a downloaded browser) with the flags this network needs.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const BASE = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3100';
export const ADMIN = { email: process.env.E2E_ADMIN_EMAIL, password: process.env.E2E_ADMIN_PASSWORD };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A phone-sized page (360 px wide), as most participants use. */
export async function phonePage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN', ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  return page;
}

/**
 * Waits until the page is interactive. Pages of the whole app hydrate `#app`; the light pages
 * of a deadline day are plain HTML whose islands each mark themselves hydrated (a page with no
 * island, like the login page, is interactive as soon as it is there).
 */
export async function waitHydrated(page) {
  await page.waitForFunction(() => {
    const app = document.querySelector('#app');
    if (!app) return false;
    if (app.dataset.bundle === 'full') return app.dataset.hydrated === 'true';
    return [...document.querySelectorAll('leptos-island')].every((island) => island.querySelector('[data-hydrated="true"]'));
  });
}

/**
 * "A mid-range phone on slow 4G": 1.6 Mbps down, 750 kbps up, 150 ms latency, CPU four times
 * slower, no cache. Returns the CDP session (to change the network later).
 */
export async function phoneProfile(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8),
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return cdp;
}

/** Unique digits for CCCD/phone so tests can run repeatedly on one database. */
export function uniqueDigits(n) {
  const s = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  return s.slice(-n).padStart(n, '0');
}

/**
 * One browser for a test file: launched before its tests, closed after them. Pass the result
 * to `phonePage`.
 */
export function sharedBrowser() {
  const shared = { current: null, newContext: (options) => shared.current.newContext(options) };
  before(async () => { shared.current = await launch(); });
  after(async () => { await shared.current?.close(); });
  return shared;
}

/** The JSON body of a response that must have succeeded (null when it has none). */
export async function json(response) {
  const text = await response.text();
  assert.ok(response.ok(), `${response.url()}: ${response.status()} ${text}`);
  return text ? JSON.parse(text) : null;
}

export const PASSWORD = 'mật-khẩu-đủ-dài';

/**
 * Registers a new person of `unitName` through the API in this page's context and signs them
 * in (as the registration page does with `sign_in=true`). Returns their e-mail.
 */
export async function registerAndSignIn(page, { name, unitName, position = 'Chuyên viên', emailPrefix = 'thi.sinh', phonePrefix = '98', cccdPrefix = '0310' }) {
  const units = await json(await page.request.get(`${BASE}/api/v1/units?q=${encodeURIComponent(unitName)}`));
  const unit = units.find((u) => u.unit.name === unitName).unit.id;
  const d = uniqueDigits(6);
  const email = `${emailPrefix}.${d}.${Math.floor(Math.random() * 1e6)}@haiphong.gov.vn`;
  await json(await page.request.post(`${BASE}/api/v1/auth/register?sign_in=true`, { data: {
    full_name: name, unit_id: unit, position, phone: `+84 ${phonePrefix} ${d.slice(0, 3)} ${d.slice(3)}${Math.floor(Math.random() * 10)}`,
    email, cccd: `${cccdPrefix}${uniqueDigits(8)}`, password: PASSWORD, password_confirm: PASSWORD,
  } }));
  return email;
}

/** Saves a screenshot under `$E2E_SCREENSHOTS` (default `target/e2e-screenshots`), for the
 *  record of what a page looks like; the test's assertions are what decide. */
export async function screenshot(page, name, { fullPage = false } = {}) {
  const { mkdirSync } = await import('node:fs');
  const dir = process.env.E2E_SCREENSHOTS ?? new URL('../../target/e2e-screenshots/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage });
}
