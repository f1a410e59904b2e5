import { DOCUMENT_ID, liveSection, signIn } from './fixtures.js';
import { expect, quietTest as test } from './quietConsole.js';

/** Issue 12, item 11: a first visit and fast scrolling log nothing (the fixture fails on any error or warning). */
test('a signed-out start answers 200 and logs nothing; scrolling fast through the document logs nothing', async ({ page }) => {
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
  for (const y of [0.25, 0.5, 0.75, 1, 0.6, 0.3, 0]) {
    await page.evaluate((f) => window.scrollTo(0, document.documentElement.scrollHeight * f), y);
    await page.waitForTimeout(60);
  }
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect(liveSection(page, 'decision')).toBeVisible({ timeout: 30_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(liveSection(page, 'part-1')).toBeVisible({ timeout: 30_000 });
  // A round trip through the app (the document list) so that late closes have happened before the check.
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Open GB.346/PFA/1' })).toBeVisible();
});
