import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { type CollabRefusedPayload, ServerEvent } from '../../shared/events.js';
import {
  type Concord,
  DOCUMENT_ID,
  SCREENSHOTS,
  editorParagraph,
  expect,
  openEditable,
  settle,
  test,
} from './fixtures.js';

/**
 * Issue 12, item 2 (placement): a refusal is explained at the caret without moving the page, offers
 * Co-sponsor / Support for an overlap, and after the deadline the text is read-only ahead of time with a
 * bar that stays — at desktop and phone sizes.
 */
const PARAGRAPH = 27;
const SECTION = 'output-1-1';
const SIZES = [
  { name: 'desktop 1440×900', viewport: { width: 1440, height: 900 }, shot: 'refusal-popover.png' },
  { name: 'phone 390×844', viewport: { width: 390, height: 844 }, shot: 'refusal-popover-phone.png' },
];

const open = (browser: Browser, url: string, username: string, viewport: { width: number; height: number }) =>
  openEditable(browser, url, username, viewport, PARAGRAPH, SECTION);

/** Puts the caret in paragraph `n` after `words`, as a click there would. */
async function caretAfter(page: Page, words: string): Promise<void> {
  await editorParagraph(page, PARAGRAPH)
    .locator('p')
    .first()
    .click({ position: { x: 1, y: 4 } });
  await page.evaluate(
    ({ n, words }) => {
      const paragraph = document.querySelector(`[data-section-id] .ProseMirror [id="p${n}"]`);
      const walker = paragraph ? document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT) : null;
      for (let node = walker?.nextNode(); node; node = walker?.nextNode()) {
        const at = node.textContent?.indexOf(words) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at + words.length);
        range.collapse(true);
        window.getSelection()?.removeAllRanges();
        window.getSelection()?.addRange(range);
        return;
      }
      throw new Error(`"${words}" is not in paragraph ${n}`);
    },
    { n: PARAGRAPH, words },
  );
}

/** Words put straight into the official text, past the Suggesting extension (a modified client): refused. */
async function forgeWordsAtCaret(page: Page, words: string): Promise<void> {
  await page.evaluate(
    ({ sectionId, words }) => {
      type Dispatchable = {
        state: { tr: { insertText: (t: string) => { setMeta: (k: string, v: boolean) => unknown } } };
        view: { dispatch: (tr: unknown) => void };
      };
      const editor = (
        document.querySelector(`[data-section-id="${sectionId}"] .ProseMirror`) as
          | (HTMLElement & { editor?: Dispatchable })
          | null
      )?.editor;
      if (!editor) throw new Error('no editor');
      editor.view.dispatch(editor.state.tr.insertText(words).setMeta('concord-suggested', true));
    },
    { sectionId: SECTION, words },
  );
}

/** The coded `overlaps` refusal, as the guard sends it beside its close. */
function sendOverlap(concord: Concord, params: CollabRefusedPayload['params']): void {
  concord.server.services.events.toGroup(DOCUMENT_ID, 'workers', ServerEvent.UpdateRefused, {
    documentId: DOCUMENT_ID,
    sectionId: SECTION,
    code: 'overlaps',
    message: 'These words are already under another amendment.',
    params,
  });
}

for (const size of SIZES) {
  test.describe(size.name, () => {
    test('a refusal is explained at the caret, the page does not move, and Co-sponsor / Support work', async ({
      browser,
      concord,
    }) => {
      test.setTimeout(90_000);
      const employers = await open(browser, concord.url, 'employers', size.viewport);
      const res = await employers.request.post(`/api/documents/${DOCUMENT_ID}/amendments`, {
        data: { sectionId: SECTION, paragraph: PARAGRAPH, op: 'delete', find: 'une importance fondamentale' },
      });
      expect(res.status(), await res.text()).toBe(201);
      const striking = (await res.json()) as { id: string; ref: string };

      const workers = await open(browser, concord.url, 'workers', size.viewport);
      // The refusal closes the section's socket on purpose: the page explains it, the console stays quiet.
      await expect(editorParagraph(workers, PARAGRAPH).locator('del.suggestion.group-employers')).toHaveText(
        'une importance fondamentale',
      );
      await caretAfter(workers, 'application revêtent ');
      const scrollBefore = await workers.evaluate(() => window.scrollY);
      const caretTop = await workers.evaluate(
        () => window.getSelection()?.getRangeAt(0).getBoundingClientRect().bottom ?? -1,
      );

      await forgeWordsAtCaret(workers, 'MOTS REFUSÉS ');
      const section = workers.locator(`[data-section-id="${SECTION}"]`);
      const popover = section.getByTestId('refusal-popover');
      await expect(popover).toContainText('Only the Office’s decisions change the official text');
      sendOverlap(concord, {
        amendmentId: striking.id,
        ref: striking.ref,
        ownerKey: 'employers',
        paragraph: PARAGRAPH,
      });
      await expect(popover).toContainText(`These words are already under amendment ${striking.ref} (Employers)`);
      await expect(editorParagraph(workers, PARAGRAPH)).not.toContainText('MOTS REFUSÉS');

      // At the caret (just under its line), inside the screen's width, and the page kept its place.
      const box = await popover.boundingBox();
      if (!box) throw new Error('no popover box');
      expect(box.y).toBeGreaterThanOrEqual(caretTop - 2);
      expect(box.y).toBeLessThan(caretTop + 40);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(size.viewport.width);
      expect(Math.abs((await workers.evaluate(() => window.scrollY)) - scrollBefore)).toBeLessThanOrEqual(2);
      await expect(popover).toBeInViewport();
      await settle(workers);
      await workers.screenshot({ path: path.join(SCREENSHOTS, size.shot) });

      await popover.getByRole('button', { name: `Co-sponsor ${striking.ref}` }).click();
      await expect(popover.getByTestId('refusal-outcome')).toHaveText(`Your group now co-sponsors ${striking.ref}.`);
      await popover.getByRole('button', { name: `Support ${striking.ref}` }).click();
      await expect(popover.getByTestId('refusal-outcome')).toHaveText(`Your support for ${striking.ref} is recorded.`);
      const after = (await (await workers.request.get(`/api/documents/${DOCUMENT_ID}/amendments`)).json()) as unknown;
      const list = (Array.isArray(after) ? after : (after as { amendments: unknown[] }).amendments) as {
        id: string;
        cosponsors: { ownerKey: string }[];
        votes: { ownerKey: string; stance: string }[];
      }[];
      const found = list.find((a) => a.id === striking.id);
      expect(found?.cosponsors.map((c) => c.ownerKey)).toEqual(['workers']);
      expect(found?.votes).toContainEqual(expect.objectContaining({ ownerKey: 'workers', stance: 'support' }));
      await workers.keyboard.press('Escape');
      await expect(popover).toHaveCount(0);
      for (const page of [employers, workers]) await page.context().close();
    });

    test('after the deadline the text is read-only ahead of typing, the reason in a bar that stays in view', async ({
      browser,
      concord,
    }) => {
      test.setTimeout(60_000);
      const office = await open(browser, concord.url, 'office', size.viewport);
      const workers = await open(browser, concord.url, 'workers', size.viewport);
      const now = Date.now();
      const opened = await office.request.post(`/api/documents/${DOCUMENT_ID}/rounds`, {
        data: { amendmentDeadline: now + 2_500, subAmendmentDeadline: now + 60_000 },
      });
      expect(opened.status(), await opened.text()).toBe(201);
      const bar = workers.getByTestId('amendments-closed-bar');
      await expect(bar).toContainText('read-only for new amendments', { timeout: 10_000 });
      await expect(workers.locator(`[data-section-id="${SECTION}"] .ProseMirror`)).toHaveAttribute(
        'contenteditable',
        'false',
      );
      await expect(bar).toBeInViewport();
      await workers.evaluate(() => window.scrollBy(0, 2400));
      await expect(bar).toBeInViewport();
      const barBox = await bar.boundingBox();
      if (!barBox) throw new Error('no bar box');
      expect(barBox.x + barBox.width).toBeLessThanOrEqual(size.viewport.width);
      for (const page of [office, workers]) await page.context().close();
    });
  });
}
