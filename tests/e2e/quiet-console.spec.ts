import { DOCUMENT_ID, liveSection, scrollFastThroughDocument, signIn } from './fixtures.js';
import { expect, quietTest as test } from './quietConsole.js';

/** Issue 12, item 11: a first visit and fast scrolling log nothing (the fixture fails on any error or warning). */
test('a signed-out start answers 200 and logs nothing; scrolling fast through the document logs nothing', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const session = page.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'GET');
  await page.goto('/');
  const answer = await session;
  expect(answer.status()).toBe(200);
  expect(await answer.json()).toEqual({ user: null });
  // GET /api/me still says 401 to clients that ask it (the README's contract).
  expect((await page.request.get('/api/me')).status()).toBe(401);

  await signIn(page, 'gov-fr');
  const me = await (await page.request.get('/api/session')).json();
  expect(me.user.username ?? me.user.name).toBeTruthy();
  await page.goto(`/d/${DOCUMENT_ID}`);
  await expect(liveSection(page, 'part-1')).toBeVisible({ timeout: 30_000 });

  // Fast scrolling: sections flash by without connecting, and those let go close politely.
  await scrollFastThroughDocument(page);
});
