// A headless Chromium for the console's browser tests: Debian's /usr/bin/chromium driven by playwright-core (no
// browser download), a fresh profile each run, nothing reaching out (no sync, no component updates, no QUIC).
// Under CI=true a missing Chromium fails the suite; elsewhere it is skipped with the reason.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from './fixtures.js';
import { inCi } from './services.js';

export const CHROMIUM = process.env.TOLLGUARD_CHROMIUM ?? '/usr/bin/chromium';

/** Where the screenshots of the console are kept (gitignored). */
export const screenshotDir = path.join(repoRoot, 'test-artifacts', 'console');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why browser tests cannot run here, or undefined. */
export function chromiumUnavailable(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (inCi) throw new Error(`${CHROMIUM} is missing (apt-get install chromium); CI must run the browser tests`);
  return `${CHROMIUM} is missing (apt-get install chromium)`;
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Saves a full-page screenshot as test-artifacts/console/<name>.png. */
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchBrowser(o: { locale?: string } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'tollguard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: o.locale ?? 'en-GB',
    viewport: { width: 1280, height: 860 },
    timeout: 30_000,
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(screenshotDir, { recursive: true });
  return {
    context,
    page,
    screenshot: async (name) => {
      await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
