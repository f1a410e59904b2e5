import type { ConsoleMessage, Page } from '@playwright/test';
import { allowConsole, DOCUMENT_ID, editorParagraph, expect, liveSection, signIn, test } from './fixtures.js';

const SECTION = 'output-1-1';

/**
 * The app under its Content-Security-Policy in a real Chromium: sign in, open the document, type a
 * suggestion (TipTap, Yjs over /collab, socket.io, the review panel), and not one console error or
 * CSP violation on the way.
 */
function watchProblems(page: Page): { problems: string[]; signedIn(): void } {
  const problems: string[] = [];
  let signedIn = false;
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    // Before sign-in the app asks GET /api/me, which answers 401: Chromium logs that as an error.
    if (!signedIn && /status of 401/.test(message.text())) return;
    problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return {
    problems,
    signedIn: () => {
      signedIn = true;
    },
  };
}

test('the app works under its Content-Security-Policy with no console error or violation', async ({
  browser,
  concord,
}) => {
  const context = await browser.newContext({ baseURL: concord.url, locale: 'en-GB' });
  const page = await context.newPage();
  const { problems, signedIn } = watchProblems(page);
  await page.addInitScript(() => {
    (window as unknown as { __cspViolations: string[] }).__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolations: string[] }).__cspViolations.push(
        `${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`,
      );
    });
  });

  const first = await page.goto('/');
  const headers = first?.headers() ?? {};
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['x-frame-options']).toBe('DENY');

  await signIn(page, 'workers');
  signedIn();
  await page.goto(`/d/${DOCUMENT_ID}#p27`);
  await expect(page.getByTestId('document-symbol')).toHaveText('GB.346/PFA/1');
  await expect(liveSection(page, SECTION)).toHaveAttribute('data-editable', 'true');

  await editorParagraph(page, 27).locator('p').first().click();
  await page.keyboard.press('End');
  await page.keyboard.type(' Sous CSP');
  await expect(editorParagraph(page, 27).locator('ins.suggestion', { hasText: 'Sous CSP' })).toHaveCount(1);
  // The server took it: the amendment record exists (the review panel hears of it over socket.io).
  await expect
    .poll(async () => {
      const res = await page.request.get(`/api/documents/${DOCUMENT_ID}/amendments?paragraph=27`);
      return JSON.stringify(await res.json());
    })
    .toContain('Sous CSP');

  const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  expect(violations).toEqual([]);
  expect(problems).toEqual([]);
  await context.close();
});

test('a foreign page cannot frame the app', async ({ browser, concord }) => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  // The refused framing is what is tested: Chromium reports it as an error.
  allowConsole(
    page,
    /^error: Framing '[^']*' violates the following Content Security Policy directive: "frame-ancestors 'none'"/,
  );
  await page.setContent(`<iframe src="${concord.url}/" title="framed"></iframe>`);
  await expect.poll(() => problems.join('\n')).toMatch(/frame-ancestors|X-Frame-Options|Refused to display/);
  await context.close();
});
