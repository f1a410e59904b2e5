import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Locator, type Page, test as base, expect } from '@playwright/test';
import { type TestServer, startTestServer } from '../support/testServer.js';
import { DEMO_PASSWORD, setUpDemoIfEmpty } from '../../server/commands/demo.js';
import { screenshotDir } from '../support/screenshots.js';
import { consoleReport, watchBrowser } from './consoleWatch.js';

export { allowConsole, unexpectedConsole, watchConsole } from './consoleWatch.js';

export const CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/client');
/**
 * Where screenshots go: a temp folder, so that `npm test` never rewrites tracked files; `npm run
 * screenshots` sets CONCORD_SCREENSHOTS=docs/screenshots to regenerate the README's pictures on purpose.
 */
export const SCREENSHOTS = screenshotDir();
export const DOCUMENT_ID = 'gb-346-pfa-1';

/** A real Concord server with the demo seeded; `restart` stops it and starts a new one on the same port and data. */
export interface Concord {
  url: string;
  server: TestServer;
  restart(options?: { downMs?: number; whileDown?: () => Promise<void> }): Promise<void>;
}

async function start(port: number, dataDir?: string): Promise<TestServer> {
  return startTestServer({
    config: { clientDir: CLIENT_DIR, port, demo: true, unloadAfterMs: 2_000 },
    document: null,
    ...(dataDir ? { dataDir } : {}),
  });
}

export const test = base.extend<{ concord: Concord; quietConsole: undefined }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies by destructuring
  concord: async ({}, use) => {
    let server = await start(0);
    // The demo: the seed document GB.346/PFA/1 through the real importer, and the six demo accounts.
    await setUpDemoIfEmpty(server.store);
    const { port, dataDir } = server;
    const concord: Concord = {
      url: server.url,
      server,
      async restart(options = {}) {
        await server.stop({ keepData: true });
        await options.whileDown?.();
        if (options.downMs) await new Promise((r) => setTimeout(r, options.downMs));
        server = await start(port, dataDir);
        concord.server = server;
      },
    };
    await use(concord);
    await server.stop();
  },
  baseURL: async ({ concord }, use) => {
    await use(concord.url);
  },
  /**
   * Every page of the test keeps a quiet console (see consoleWatch.ts). It needs `concord` so that its
   * check, and the closing of contexts the test left open, come before the server stops: a page still
   * connected then would log the stop, and would keep trying to reconnect during the next tests.
   */
  quietConsole: [
    async ({ browser, concord: _ }, use) => {
      const watch = watchBrowser(browser);
      await use(undefined);
      const { pages, openContexts } = watch.stop();
      const report = consoleReport(pages);
      await Promise.all(openContexts.map((context) => context.close()));
      expect(report, 'unexpected console errors or warnings (allowConsole says a test expects one)').toEqual({});
    },
    { auto: true },
  ],
});

export { expect };

/**
 * An HTTP caller signed in as a demo account: the set-up a test needs (amendments, comments, rounds),
 * not what it checks. Returns `call(method, url, body)`, which throws on an answer that is not 2xx.
 */
export async function apiAs(concord: Concord, username: string) {
  const res = await fetch(`${concord.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const { token } = (await res.json()) as { token: string };
  return async <T = { id: string; ref: string }>(method: string, url: string, body: unknown = {}): Promise<T> => {
    const answer = await fetch(`${concord.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: method === 'GET' ? undefined : JSON.stringify(body),
    });
    const text = await answer.text();
    if (!answer.ok) throw new Error(`${method} ${url}: ${answer.status} ${text}`);
    return JSON.parse(text) as T;
  };
}

/** Signs in through the form, as a delegate would. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/');
  await page.getByLabel(/username|nom d’utilisateur/i).fill(username);
  await page.getByLabel(/password|mot de passe/i).fill(password);
  await page.getByRole('button', { name: /sign in|se connecter/i }).click();
  await expect(page.getByTestId('user-menu')).toBeVisible();
}

/** A new browser context (its own cookies), signed in, on the document (optionally at a hash). */
export async function openAs(
  browser: Browser,
  baseURL: string,
  username: string,
  hash = '',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  const page = await context.newPage();
  await signIn(page, username);
  await page.goto(`/d/${DOCUMENT_ID}${hash}`);
  await expect(page.getByTestId('document-symbol')).toHaveText('GB.346/PFA/1');
  return { context, page };
}

/** A new context at `viewport` (English), signed in, on paragraph `paragraph` once its section is editable. */
export async function openEditable(
  browser: Browser,
  url: string,
  username: string,
  viewport: { width: number; height: number },
  paragraph: number,
  sectionId: string,
): Promise<Page> {
  const context = await browser.newContext({ baseURL: url, viewport, locale: 'en-GB' });
  const page = await context.newPage();
  await signIn(page, username);
  await page.goto(`/d/${DOCUMENT_ID}#p${paragraph}`);
  await expect(page.locator(`[data-section-id="${sectionId}"] [data-editable="true"]`)).toBeVisible({
    timeout: 30_000,
  });
  return page;
}

/** The section holding paragraph `n`, per the API (the outline's source of truth). */
export async function sectionOfParagraph(page: Page, n: number): Promise<string> {
  const outline = (await (await page.request.get(`/api/documents/${DOCUMENT_ID}`)).json()) as {
    sections: { id: string; paragraphs: number[] }[];
  };
  const section = outline.sections.find((s) => s.paragraphs.includes(n));
  if (!section) throw new Error(`no section holds paragraph ${n}`);
  return section.id;
}

/** The live editor of a section, once connected and synced. */
export function liveSection(page: Page, sectionId: string) {
  return page.locator(`[data-section-id="${sectionId}"] [data-live="true"]`);
}

/** Waits for running animations (the jump highlight) to end, so screenshots show the resting screen. */
export async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().length === 0, undefined, { timeout: 5_000 });
}

/** The live editor's copy of paragraph `n`. */
export function editorParagraph(page: Page, n: number) {
  return page.locator(`[data-section-id] .ProseMirror [id="p${n}"]`);
}

/** Selects the first occurrence of `words` in paragraph `n` of the live text, as a mouse drag would. */
export async function selectWords(page: Page, n: number, words: string): Promise<void> {
  await editorParagraph(page, n)
    .locator('p')
    .first()
    .click({ position: { x: 1, y: 4 } });
  await page.evaluate(
    ({ n, words }) => {
      const paragraph = document.querySelector(`[data-section-id] .ProseMirror [id="p${n}"]`);
      if (!paragraph) throw new Error(`no paragraph ${n}`);
      const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(words) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + words.length);
        const selection = window.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
        return;
      }
      throw new Error(`"${words}" is not in paragraph ${n}`);
    },
    { n, words },
  );
  // ProseMirror reads the DOM selection on selectionchange: wait until the editor has it.
  await expect
    .poll(() =>
      page.evaluate((n) => {
        type WithEditor = HTMLElement & {
          editor?: {
            state: { selection: { from: number; to: number }; doc: { textBetween: (a: number, b: number) => string } };
          };
        };
        const dom = document
          .querySelector(`[data-section-id] .ProseMirror [id="p${n}"]`)
          ?.closest('.ProseMirror') as WithEditor | null;
        const state = dom?.editor?.state;
        return state ? state.doc.textBetween(state.selection.from, state.selection.to) : '';
      }, n),
    )
    .toBe(words);
}

export function panel(page: Page) {
  return page.getByRole('complementary', { name: 'Amendments and comments' });
}

/**
 * Where a jump must leave its target (issue 12, item 3): at its own `scroll-margin-top`, that margin being
 * the sticky header's bottom plus a little air (at most 5rem, with the deadline bar) — and still there once
 * the sections in view have swapped their static text for live editors, which changes heights above it.
 */
export async function expectLandedBelowHeader(page: Page, selector: string): Promise<void> {
  const landing = () =>
    page.evaluate((selector) => {
      const target = document.querySelector<HTMLElement>(selector);
      const header = document.querySelector('.app-header');
      if (!target || !header) return 'missing';
      const top = target.getBoundingClientRect().top;
      const bottom = header.getBoundingClientRect().bottom;
      const margin = Number.parseFloat(getComputedStyle(target).scrollMarginTop);
      const rem = Number.parseFloat(getComputedStyle(document.documentElement).fontSize);
      if (margin < bottom || margin > bottom + 5 * rem + 1)
        return `scroll-margin-top ${margin} px for a header ending at ${bottom} px`;
      if (Math.abs(top - margin) > 2) return `at ${Math.round(top)} px, not ${margin} px (header ends at ${bottom} px)`;
      return 'ok';
    }, selector);
  await expect.poll(landing).toBe('ok');
  // Every section on screen connected and drawn by its editor: the heights above the target are final.
  await expect
    .poll(() =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('main [data-section-id]')]
          .filter((s) => {
            const r = s.getBoundingClientRect();
            return r.bottom > 0 && r.top < window.innerHeight;
          })
          .every((s) => s.querySelector('[data-live="true"]') !== null),
      ),
    )
    .toBe(true);
  expect(await landing()).toBe('ok');
}

/**
 * Scrolls through the whole document fast, then to its end and back to its start: sections flash by
 * without connecting, those let go close politely; the first and last sections end up live. Then a
 * round trip through the document list, so that late closes have happened before a console check.
 */
export async function scrollFastThroughDocument(page: Page): Promise<void> {
  for (const y of [0, 0.25, 0.5, 0.75, 1, 0.6, 0.3, 0]) {
    await page.evaluate((f) => window.scrollTo(0, document.documentElement.scrollHeight * f), y);
    await page.waitForTimeout(60);
  }
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect(liveSection(page, 'decision')).toBeVisible({ timeout: 30_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(liveSection(page, 'part-1')).toBeVisible({ timeout: 30_000 });
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Open GB.346/PFA/1' })).toBeVisible();
}

/**
 * A long proposal's card: folded to three lines; Show all opens it (`factor` times taller at least) and
 * `whileOpen` checks it open (the sentence around the change shows only then); Show less folds it.
 */
export async function expectProposalFolds(
  card: Locator,
  factor: number,
  whileOpen: () => Promise<void> = async () => {},
): Promise<void> {
  const proposal = card.getByTestId('proposal-text');
  await expect(proposal).toHaveAttribute('data-folded', 'true');
  const height = async () => (await proposal.boundingBox())?.height ?? 0;
  const folded = await height();
  const lineHeight = await proposal.evaluate((el) => Number.parseFloat(getComputedStyle(el).lineHeight));
  expect(folded).toBeLessThanOrEqual(lineHeight * 3 + 2);
  await card.getByRole('button', { name: 'Show all' }).click();
  await expect(proposal).toHaveAttribute('data-folded', 'false');
  expect(await height()).toBeGreaterThan(folded * factor);
  await whileOpen();
  await card.getByRole('button', { name: 'Show less' }).click();
  await expect(proposal).toHaveAttribute('data-folded', 'true');
}
