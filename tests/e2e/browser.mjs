// Launches Debian's Chromium (never a downloaded browser) with the flags this network needs.
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

export async function waitHydrated(page) {
  await page.waitForSelector('#app[data-hydrated="true"]');
}

/** Unique digits for CCCD/phone so tests can run repeatedly on one database. */
export function uniqueDigits(n) {
  const s = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
  return s.slice(-n).padStart(n, '0');
}
