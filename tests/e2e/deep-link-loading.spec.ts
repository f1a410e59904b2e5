import type { Page, Request } from '@playwright/test';
import { DEMO_PASSWORD } from '../../server/commands/demo.js';
import { DOCUMENT_ID, expect, liveSection, signIn, test } from './fixtures.js';

/**
 * A deep link opened signed in: the document's outline and content are asked for alongside the session and
 * the screen's code, not after them (on a delegate's real network each of those waits is a round trip),
 * and each is asked for once. Signed out, nothing of the document is asked for.
 */
const SCREEN_CHUNK = /\/assets\/DocumentScreen-[^/]+\.js$/;
const documentRequest = (documentId: string) => new RegExp(`/api/documents/${documentId}(/content)?$`);

function recordDocumentRequests(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (request) => {
    if (documentRequest(DOCUMENT_ID).test(new URL(request.url()).pathname)) seen.push(request);
  });
  return seen;
}

test('signed in, the text is asked for while the screen’s code is still on its way, once', async ({ page }) => {
  await signIn(page, 'gov-fr');
  const seen = recordDocumentRequests(page);
  // The screen's code is held back until the outline and the content have been asked for: without the
  // early reading they would only be asked for by that code, and the page would never open.
  let held = 0;
  await page.route(SCREEN_CHUNK, async (route) => {
    held++;
    await expect
      .poll(() => seen.map((r) => new URL(r.url()).pathname).sort(), { timeout: 10_000 })
      .toEqual([`/api/documents/${DOCUMENT_ID}`, `/api/documents/${DOCUMENT_ID}/content`]);
    await route.continue();
  });
  await page.goto(`/d/${DOCUMENT_ID}#p27`);
  await expect(page.getByTestId('document-symbol')).toHaveText('GB.346/PFA/1', { timeout: 30_000 });
  await expect(page.locator('[data-editable="true"]').first()).toBeVisible({ timeout: 30_000 });
  expect(held).toBe(1);
  // The screen took the early reading: no second request for either.
  expect(seen.map((r) => new URL(r.url()).pathname).sort()).toEqual([
    `/api/documents/${DOCUMENT_ID}`,
    `/api/documents/${DOCUMENT_ID}/content`,
  ]);
  await expect(page.locator('[id="p27"]').first()).toBeInViewport();
});

test('signed out, a deep link asks for nothing of the document and logs nothing; signing in there opens it', async ({
  page,
}) => {
  const seen = recordDocumentRequests(page);
  await page.goto(`/d/${DOCUMENT_ID}`);
  await expect(page.getByLabel(/username|nom d’utilisateur/i)).toBeVisible();
  expect(seen).toEqual([]);
  await page.getByLabel(/username|nom d’utilisateur/i).fill('gov-fr');
  await page.getByLabel(/password|mot de passe/i).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /sign in|se connecter/i }).click();
  await expect(liveSection(page, 'part-1')).toBeVisible({ timeout: 30_000 });
  expect(seen.map((r) => new URL(r.url()).pathname).sort()).toEqual([
    `/api/documents/${DOCUMENT_ID}`,
    `/api/documents/${DOCUMENT_ID}/content`,
  ]);
});
