import type { ConsoleMessage, Page } from '@playwright/test';
import { expect, test as base } from './fixtures.js';

/**
 * A quiet console (issue 12, item 11): every console error or warning a page logs fails the test unless
 * the test said it expects it (`allowConsole(page, /pattern/)`). Opt-in for now — `quietTest` in place of
 * `test` — because older specs provoke failures on purpose (offline, refusals) and must list theirs first.
 */
const allowed = new WeakMap<Page, RegExp[]>();
const logged = new WeakMap<Page, string[]>();

/** Starts recording a page's console errors and warnings (the fixture does it for `page`). */
export function watchConsole(page: Page): void {
  if (logged.has(page)) return;
  const messages: string[] = [];
  logged.set(page, messages);
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    const location = message.location();
    messages.push(`${message.type()}: ${message.text()} (${location.url}:${location.lineNumber})`);
  });
  page.on('pageerror', (error) => messages.push(`pageerror: ${error.message}`));
}

/** Messages matching `pattern` are expected by this test on this page. */
export function allowConsole(page: Page, pattern: RegExp): void {
  allowed.set(page, [...(allowed.get(page) ?? []), pattern]);
}

/** The unexpected errors and warnings a watched page logged so far. */
export function unexpectedConsole(page: Page): string[] {
  const patterns = allowed.get(page) ?? [];
  return (logged.get(page) ?? []).filter((m) => !patterns.some((p) => p.test(m)));
}

export const quietTest = base.extend<{ page: Page }>({
  page: async ({ page }, use) => {
    watchConsole(page);
    await use(page);
    expect(unexpectedConsole(page), 'unexpected console errors or warnings').toEqual([]);
  },
});

export { expect };
