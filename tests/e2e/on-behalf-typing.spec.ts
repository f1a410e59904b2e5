import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { DOCUMENT_ID, SCREENSHOTS, editorParagraph, expect, liveSection, signIn, test } from './fixtures.js';

/**
 * Issue 13, typing on behalf of a regional group: South Africa's delegate chooses "Africa group" above
 * the text and types; the suggestion is the region's (its card says so), and Nigeria's delegate, choosing
 * the same, carries on typing in it as the group's own. France, outside the region, is not offered it.
 */
const SECTION = 'output-1-1';
const PARAGRAPH = 27;

async function openAs(browser: Browser, baseURL: string, username: string) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  const page = await context.newPage();
  await signIn(page, username);
  await page.goto(`/d/${DOCUMENT_ID}#p${PARAGRAPH}`);
  await expect(page.getByTestId('document-symbol')).toHaveText('GB.346/PFA/1', { timeout: 30_000 });
  await expect(liveSection(page, SECTION)).toHaveAttribute('data-editable', 'true', { timeout: 30_000 });
  return { context, page };
}

/** The pending amendments of the section, as the server lists them to `page`'s user. */
async function amendments(page: Page) {
  const res = await page.request.get(`/api/documents/${DOCUMENT_ID}/amendments`);
  expect(res.status()).toBe(200);
  return (await res.json()) as {
    id: string;
    ref: string;
    ownerKey: string;
    authorName: string;
    proposedText: string;
  }[];
}

test('South Africa types for the Africa group; Nigeria carries on in the same suggestion', async ({
  browser,
  concord,
}) => {
  test.setTimeout(120_000);
  const southAfrica = await openAs(browser, concord.url, 'gov-za');
  const picker = southAfrica.page.getByTestId('suggest-on-behalf-of');
  await expect(picker.locator('option')).toHaveText(['South Africa', 'Africa group']);
  await picker.selectOption({ label: 'Africa group' });
  await expect(southAfrica.page.getByTestId('suggesting-badge')).toHaveAttribute('title', /Africa group/);

  await editorParagraph(southAfrica.page, PARAGRAPH).locator('p').first().click();
  await southAfrica.page.keyboard.press('End');
  await southAfrica.page.keyboard.type(' pour l’Afrique');
  await expect(editorParagraph(southAfrica.page, PARAGRAPH).locator('ins.suggestion')).toHaveText(' pour l’Afrique');

  let typed: Awaited<ReturnType<typeof amendments>>[number] | undefined;
  await expect(async () => {
    typed = (await amendments(southAfrica.page)).find((a) => a.proposedText.includes('pour l’Afrique'));
    expect(typed).toMatchObject({ ownerKey: 'region:AFRICA' });
  }).toPass({ timeout: 15_000 });
  const ref = typed?.ref as string;

  const nigeria = await openAs(browser, concord.url, 'gov-ng');
  await nigeria.page.getByTestId('suggest-on-behalf-of').selectOption({ label: 'Africa group' });
  const inserted = editorParagraph(nigeria.page, PARAGRAPH).locator('ins.suggestion', { hasText: 'pour l’Afrique' });
  await expect(inserted).toHaveCount(1, { timeout: 15_000 });
  // The caret right after the region's words (through the DOM selection, as a click there would).
  await nigeria.page.evaluate(() => {
    const ins = [...document.querySelectorAll('.ProseMirror ins.suggestion')].find((el) =>
      el.textContent?.includes('pour l’Afrique'),
    );
    const walker = ins ? document.createTreeWalker(ins, NodeFilter.SHOW_TEXT) : null;
    let last: Node | null = null;
    for (let n = walker?.nextNode() ?? null; n; n = walker?.nextNode() ?? null) last = n;
    if (!last) throw new Error('no inserted words');
    (ins?.closest('.ProseMirror') as HTMLElement | null)?.focus();
    const range = document.createRange();
    range.setStart(last, last.textContent?.length ?? 0);
    range.collapse(true);
    window.getSelection()?.removeAllRanges();
    window.getSelection()?.addRange(range);
  });
  await nigeria.page.waitForTimeout(100); // ProseMirror reads the DOM selection on selectionchange
  await nigeria.page.keyboard.type(' et ses États membres');
  await expect(async () => {
    const now = (await amendments(nigeria.page)).find((a) => a.ref === ref);
    expect(now?.proposedText).toContain('pour l’Afrique et ses États membres');
    expect(now?.ownerKey).toBe('region:AFRICA');
  }).toPass({ timeout: 15_000 });
  // One amendment, not a second one of Nigeria's.
  expect((await amendments(nigeria.page)).filter((a) => a.proposedText.includes('États membres'))).toHaveLength(1);
  // South Africa sees Nigeria's words live, in the same amendment, each part in its author's name.
  const parts = editorParagraph(southAfrica.page, PARAGRAPH).locator(`ins.suggestion[data-amendment="${typed?.id}"]`);
  await expect(parts).toHaveText([' pour l’Afrique', ' et ses États membres']);
  await expect(parts.nth(1)).toHaveAttribute('data-by', 'region:AFRICA');
  await nigeria.page.screenshot({ path: path.join(SCREENSHOTS, 'on-behalf-typing-nigeria.png') });
  await southAfrica.page.screenshot({ path: path.join(SCREENSHOTS, 'on-behalf-typing-south-africa.png') });

  // France is in no African group: it is not offered the Africa group.
  const france = await openAs(browser, concord.url, 'gov-fr');
  await expect(
    france.page.getByTestId('suggest-on-behalf-of').locator('option', { hasText: 'Africa group' }),
  ).toHaveCount(0);
  for (const c of [southAfrica, nigeria, france]) await c.context.close();
});
