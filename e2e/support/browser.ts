import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ensureChromium } from './chromium.js';

/** Flags keep Chromium quiet on a closed network (no background calls home). */
const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), args, headless: true });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested, in order. */
  requests: string[];
  consoleErrors: string[];
}

export async function openTab(browser: Browser, locale = 'en-US'): Promise<Tab> {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  return { context, page, requests, consoleErrors };
}

export function remoteRequests(tab: Tab, remote: string): string[] {
  return tab.requests.filter((url) => new URL(url).pathname.startsWith(`/remotes/${remote}/`));
}
