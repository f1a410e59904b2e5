import type { Page } from '@playwright/test';
import { DOCUMENT_ID, editorParagraph, expect, liveSection, openAs, test } from './fixtures.js';

const SECTION = 'output-1-1';

/** The section's live content as the server has it (ProseMirror JSON, serialized). */
async function serverContent(page: Page): Promise<string> {
  const res = await page.request.get(`/api/documents/${DOCUMENT_ID}/sections/${SECTION}`);
  return JSON.stringify(((await res.json()) as { content: unknown }).content);
}

/**
 * Puts the caret in the first text node of `selector` (inside the live editor) at `offset`, through the
 * DOM selection as a click would — without a click, which the sticky header may intercept.
 */
async function placeCaret(page: Page, selector: string, offset: number | 'end'): Promise<void> {
  await page.evaluate(
    ({ selector, offset }) => {
      const el = document.querySelector(`[data-section-id] .ProseMirror ${selector}`);
      const walker = el ? document.createTreeWalker(el, NodeFilter.SHOW_TEXT) : null;
      const text = walker?.nextNode();
      if (!text) throw new Error(`no text in ${selector}`);
      const at = offset === 'end' ? (text.textContent?.length ?? 0) : offset;
      (el?.closest('.ProseMirror') as HTMLElement | null)?.focus();
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
    },
    { selector, offset },
  );
  await page.waitForTimeout(100); // ProseMirror reads the DOM selection on selectionchange
}

test('a delegate’s typing, Backspace, paste, Enter, undo and redo all stay suggestions the server accepts', async ({
  browser,
  concord,
}) => {
  const workers = await openAs(browser, concord.url, 'workers', '#p27');
  const { page } = workers;
  await expect(liveSection(page, SECTION)).toHaveAttribute('data-editable', 'true');

  // Type at the end of paragraph 27: an insertion in the Workers' colour.
  await editorParagraph(page, 27).locator('p').first().click();
  await page.keyboard.press('End');
  await page.keyboard.type(' Ajout');
  await expect(editorParagraph(page, 27).locator('ins.suggestion', { hasText: 'Ajout' })).toHaveCount(1);

  // Backspace inside one's own insertion removes the letter for real.
  await page.keyboard.press('Backspace');
  await expect(editorParagraph(page, 27).locator('ins.suggestion')).toHaveText(' Ajou');

  // Undo and redo go through Yjs and only touch one's own suggestion.
  await page.keyboard.press('Control+z');
  await expect(editorParagraph(page, 27).locator('ins.suggestion')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(editorParagraph(page, 27).locator('ins.suggestion')).toHaveCount(1);

  // Backspace over official words strikes them instead of removing them.
  await placeCaret(page, '[id="p27"] p', 2);
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await expect(editorParagraph(page, 27).locator('del.suggestion')).toHaveText('L’');

  // Pasting several paragraphs inserts their words as one suggestion, not as new official paragraphs.
  await placeCaret(page, '[id="p27"] ins.suggestion', 'end');
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/html', '<p> collé un</p><p>collé deux</p>');
    data.setData('text/plain', ' collé un\n\ncollé deux');
    document.activeElement?.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    );
  });
  await expect(editorParagraph(page, 27).locator('ins.suggestion')).toContainText('collé un collé deux');
  await expect(page.locator('[data-section-id] .ProseMirror [id="p28"]')).toHaveCount(1);

  // Enter at the end of a paragraph proposes a new one, numbered 27bis.
  await placeCaret(page, '[id="p27"] ins.suggestion', 'end');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Un nouveau paragraphe.');
  await expect(page.locator('[data-section-id] .ProseMirror [id="p27bis"]')).toContainText('Un nouveau paragraphe.');

  // The server took every step: nothing was refused, and it holds the 27bis proposal.
  await expect.poll(() => serverContent(page)).toContain('Un nouveau paragraphe.');
  await expect(page.getByText(/could not be applied|refused/i)).toHaveCount(0);
  const official = (
    (await (await page.request.get(`/api/documents/${DOCUMENT_ID}/sections/${SECTION}`)).json()) as {
      content: { content: { type: string; attrs: { number: string; suggestion: unknown } }[] };
    }
  ).content.content.filter((n) => n.type === 'numberedParagraph');
  expect(official.find((n) => n.attrs.number === '27bis')?.attrs.suggestion).toMatchObject({ by: 'workers' });
  await workers.context.close();
});
