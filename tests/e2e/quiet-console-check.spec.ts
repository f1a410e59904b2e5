import type { Page } from '@playwright/test';
import { allowConsole, expect, openAs, test, unexpectedConsole } from './fixtures.js';

/**
 * The quiet console's own check (issue 12, item 11): it hears every page however the test opened it, and
 * it fails a test whose page logged what the test did not allow.
 */
const DELIBERATE = /deliberate console self-test/;

async function logDeliberately(page: Page): Promise<void> {
  await page.evaluate(() => {
    console.error('deliberate console self-test: an error');
    console.warn('deliberate console self-test: a warning');
    setTimeout(() => {
      throw new Error('deliberate console self-test: an uncaught error');
    });
  });
}

async function expectHeard(page: Page): Promise<void> {
  await expect
    .poll(() => unexpectedConsole(page))
    .toEqual([
      expect.stringMatching(/^error: deliberate console self-test: an error/),
      expect.stringMatching(/^warning: deliberate console self-test: a warning/),
      'pageerror: deliberate console self-test: an uncaught error',
    ]);
}

test('the page fixture, openAs and a context of the test’s own are all watched; allowConsole quiets them', async ({
  page,
  browser,
  concord,
}) => {
  await page.goto('/');
  const { page: opened } = await openAs(browser, concord.url, 'workers');
  const own = await (await browser.newContext({ baseURL: concord.url })).newPage();
  await own.goto('/');
  for (const watched of [page, opened, own]) {
    await logDeliberately(watched);
    await expectHeard(watched);
    allowConsole(watched, DELIBERATE);
    expect(unexpectedConsole(watched)).toEqual([]);
  }
  // The contexts are left open on purpose: the check closes them after reading their pages.
});

test('a message the test did not allow fails it at its end', async ({ browser, concord }) => {
  test.fail(true, 'the console check must fail this test: its page logs an error nobody allowed');
  const page = await (await browser.newContext({ baseURL: concord.url })).newPage();
  await page.goto('/');
  await page.evaluate(() => console.error('deliberate console self-test: not allowed'));
  await expect.poll(() => unexpectedConsole(page)).toHaveLength(1);
});
