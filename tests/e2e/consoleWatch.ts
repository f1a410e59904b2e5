import type { Browser, BrowserContext, ConsoleMessage, Page } from '@playwright/test';

/**
 * A quiet console (issue 12, item 11): every console error or warning and every uncaught error of every
 * page a test opens fails the test, unless the test said it expects it (`allowConsole(page, /pattern/)`).
 * The `test` of fixtures.ts watches the browser for the whole test, so a page is watched however it was
 * opened (the `page` fixture, `openAs`, a spec's own `browser.newContext()`); a new spec need not ask.
 */
const allowed = new WeakMap<Page, RegExp[]>();
const logged = new WeakMap<Page, string[]>();

/** The pages the running test opened, in order; undefined between tests. */
let pagesOfTest: Page[] | undefined;

/** Starts recording a page's console errors and warnings and its uncaught errors (once per page). */
export function watchConsole(page: Page): void {
  if (logged.has(page)) return;
  const messages: string[] = [];
  logged.set(page, messages);
  pagesOfTest?.push(page);
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

function watchContext(context: BrowserContext): void {
  for (const page of context.pages()) watchConsole(page);
  context.on('page', watchConsole);
}

/** A page's name in a report: its rank among the test's pages and where it was last. */
function pageLabel(page: Page, index: number): string {
  const url = page.url();
  let where = url;
  try {
    const parsed = new URL(url);
    where = parsed.protocol.startsWith('http') ? `${parsed.pathname}${parsed.search}${parsed.hash}` : url;
  } catch {
    // about:blank and the like are their own name.
  }
  return `page ${index + 1} (at ${where})`;
}

/** The unexpected messages of the given pages, by page; pages with none are left out. */
export function consoleReport(pages: readonly Page[]): Record<string, string[]> {
  const report: Record<string, string[]> = {};
  pages.forEach((page, index) => {
    const unexpected = unexpectedConsole(page);
    if (unexpected.length > 0) report[pageLabel(page, index)] = unexpected;
  });
  return report;
}

/**
 * Watches every page of every context `browser` creates from now on, until `stop`. `stop` gives the
 * pages watched meanwhile and the contexts the test left open, for the fixture to check then close.
 */
export function watchBrowser(browser: Browser): { stop(): { pages: Page[]; openContexts: BrowserContext[] } } {
  const pages: Page[] = [];
  const contexts: BrowserContext[] = [];
  pagesOfTest = pages;
  const onContext = (context: BrowserContext) => {
    contexts.push(context);
    watchContext(context);
  };
  browser.on('context', onContext);
  return {
    stop() {
      browser.off('context', onContext);
      pagesOfTest = undefined;
      return { pages, openContexts: contexts.filter((c) => browser.contexts().includes(c)) };
    },
  };
}
