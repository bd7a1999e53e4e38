/**
 * Debian's chromium driven by playwright-core, as the console's browser tests and its benchmark use
 * it: headless, a fresh profile per run, nothing that reaches beyond the pages it is sent to.
 * playwright never downloads a browser here; `.ci/run` installs chromium with apt-get.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface Chromium {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export interface ChromiumOptions {
  readonly viewport?: { width: number; height: number };
  /**
   * Lets playwright poll a page-side expression (waitForFunction with a string) on the console,
   * whose Content-Security-Policy forbids eval; for benchmarks that time frames, never for tests.
   */
  readonly bypassCsp?: boolean;
}

export async function launchChromium({ viewport = { width: 1280, height: 860 }, bypassCsp = false }: ChromiumOptions = {}): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (README, Requirements); .ci/run installs it`);
  const profileDir = mkdtempSync(join(tmpdir(), 'maestro-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM, headless: true, viewport, bypassCSP: bypassCsp,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context, page,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
