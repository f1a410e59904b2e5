import path from 'node:path';
import type { Browser, BrowserContextOptions, Locator, Page } from '@playwright/test';
import { expectNoSeriousViolations } from './axe.js';
import {
  type Concord,
  DOCUMENT_ID,
  SCREENSHOTS,
  editorParagraph,
  liveSection,
  panel,
  selectWords,
  settle,
  signIn,
  apiAs,
  expectProposalFolds,
  scrollFastThroughDocument,
} from './fixtures.js';
import { expect, quietTest as test, unexpectedConsole, watchConsole } from './quietConsole.js';

/**
 * Issue 12 at the two sizes where a delegate most often stumbles — a phone (390×844, touch) and 200 %
 * zoom — for what the other specs check only at desktop size (comments-in-text, margin, integrity,
 * keyboard-a11y, spanish, whats-new; phone.spec, refusal-in-place, navigation-truth and whats-new already
 * cover the phone where this file does not repeat them): comments fall back to the panel and their words open their card; a typed suggestion's
 * card covers no line being typed and asks why; a refusal is explained at the caret below the sticky
 * header; the outline is a drawer and one Tab stop; the desk, the audit log, versions, the document list
 * and "Since your last visit" fit without sideways scrolling; the Spanish interface at both sizes.
 */
const PARAGRAPH = 27;
const SECTION = 'output-1-1';

type Size = {
  name: string;
  slug: string;
  use: BrowserContextOptions & { viewport: { width: number; height: number } };
};
const PHONE: Size = {
  name: 'phone 390×844',
  slug: 'phone',
  use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};
// 200 % zoom of a 1440×900 window: a 720×450 CSS viewport at twice the pixel density (as navigation-truth.spec.ts).
const ZOOM: Size = {
  name: '200 % zoom',
  slug: 'zoom200',
  use: { viewport: { width: 720, height: 450 }, deviceScaleFactor: 2 },
};

const amendment = (find: string, text: string) => ({
  sectionId: SECTION,
  paragraph: PARAGRAPH,
  op: 'replace',
  find,
  text,
});

/** A second person at the same size, in a context of their own; its console is watched too. */
async function another(browser: Browser, concord: Concord, size: Size, username: string): Promise<Page> {
  const context = await browser.newContext({ ...size.use, baseURL: concord.url, locale: 'en-GB' });
  const page = await context.newPage();
  watchConsole(page);
  await signIn(page, username);
  return page;
}

async function openParagraph(page: Page): Promise<void> {
  await page.goto(`/d/${DOCUMENT_ID}#p${PARAGRAPH}`);
  await expect(page.locator(`[data-section-id="${SECTION}"] [data-editable="true"]`)).toBeVisible({ timeout: 30_000 });
}

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error('no box');
  return found;
}

/** Bottom of the sticky header, in the viewport. */
const headerBottom = (page: Page) =>
  page.evaluate(() => document.querySelector('.app-header')?.getBoundingClientRect().bottom ?? 0);

/** Wholly on screen: below the sticky header, above the bottom, inside the width. */
async function expectClearOfHeader(page: Page, locator: Locator, what: string): Promise<void> {
  const { width, height } = page.viewportSize() ?? { width: 0, height: 0 };
  const b = await box(locator);
  const top = await headerBottom(page);
  expect(b.y, `${what} under the sticky header`).toBeGreaterThanOrEqual(top - 1);
  expect(b.y + b.height, `${what} below the screen`).toBeLessThanOrEqual(height + 1);
  expect(b.x, `${what} off the left`).toBeGreaterThanOrEqual(0);
  expect(b.x + b.width, `${what} off the right`).toBeLessThanOrEqual(width + 1);
}

/** Nothing on the page is wider than the window (no sideways scrolling). */
async function expectNoSidewaysOverflow(page: Page, where: string): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(scroll, `${where} scrolls sideways`).toBeLessThanOrEqual(client);
}

/** Every form control and button of the main area inside the window's width (none cut at the edge). */
async function expectControlsInside(page: Page, where: string): Promise<void> {
  const outside = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main input, main select, main textarea, main button')]
      .filter((el) => el.getClientRects().length > 0)
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.left < 0 || r.right > document.documentElement.clientWidth - 4;
      })
      .map(
        (el) =>
          `${el.tagName.toLowerCase()} ${el.getAttribute('name') ?? el.id ?? ''} ${el.textContent?.trim().slice(0, 30) ?? ''}`,
      ),
  );
  expect(outside, `${where}: controls cut at the edge`).toEqual([]);
}

/** The box of the first occurrence of `words` in paragraph 27's live text (its last line). */
function wordsBox(page: Page, words: string) {
  return page.evaluate(
    ({ n, words }) => {
      const paragraph = document.querySelector(`[data-section-id] .ProseMirror [id="p${n}"]`);
      const walker = paragraph ? document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT) : null;
      for (let node = walker?.nextNode(); node; node = walker?.nextNode()) {
        const at = node.textContent?.indexOf(words) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + words.length);
        const rects = [...range.getClientRects()];
        const last = rects[rects.length - 1];
        if (!last) break;
        return { top: last.top, bottom: last.bottom, x: last.right - 3, y: last.top + last.height / 2 };
      }
      throw new Error(`"${words}" is not in paragraph ${n}`);
    },
    { n: PARAGRAPH, words },
  );
}

/** Scrolls the page (as the reader's finger would) so that the line of `words` has its top at `y`. */
async function scrollLineTo(page: Page, words: string, y: number): Promise<void> {
  const { top } = await wordsBox(page, words);
  await page.evaluate((by) => window.scrollBy(0, by), top - y);
  await expect.poll(async () => Math.abs((await wordsBox(page, words)).top - y)).toBeLessThanOrEqual(2);
}

/**
 * Puts the caret in paragraph 27 just after `words`, as a tap does: on the words where they are on the
 * screen (the tap also tells the page the reader has taken over from the last jump), then exactly after them.
 */
async function caretAfter(page: Page, words: string): Promise<void> {
  const point = await wordsBox(page, words);
  await page.mouse.click(point.x, point.y);
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
  await expect(page.locator(`[data-section-id="${SECTION}"] .ProseMirror`)).toBeFocused();
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

for (const size of [PHONE, ZOOM]) {
  test.describe(size.name, () => {
    test.use(size.use);

    test('no margin: a comment goes to the panel, its words open its card; a typed suggestion’s card covers no typed line, asks why, and folds 3,000 words', async ({
      page,
    }) => {
      test.setTimeout(120_000);
      await signIn(page, 'workers');
      await openParagraph(page);
      // Narrow: no margin beside the text, the panel a closed drawer.
      await expect(page.getByTestId('margin')).toHaveCount(0);
      await expect(page.getByTestId('review-panel')).toBeHidden();

      // A selection shows the bubble (no shortcut on a phone), on screen and clear of the header.
      await selectWords(page, PARAGRAPH, 'ratification des normes');
      const bubble = page.getByTestId('selection-bubble');
      await expect(bubble).toBeVisible();
      await expectClearOfHeader(page, bubble, 'the selection bubble');
      await bubble.getByRole('button', { name: 'Comment' }).click();
      const form = panel(page).getByTestId('new-thread');
      await expect(page.getByTestId('review-panel')).toBeVisible();
      await expect(form.getByLabel('Your comment')).toBeFocused();
      await form.getByLabel('Your comment').fill('Pourquoi seulement la ratification ?');
      await form.getByRole('button', { name: 'Post the comment' }).click();
      const thread = panel(page).locator('[data-thread-id]').first();
      await expect(thread).toContainText('Pourquoi seulement la ratification ?');
      const threadId = await thread.getAttribute('data-thread-id');
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('review-panel')).toBeHidden();

      // The commented words are marked in the text; a tap on them opens the drawer at their card.
      const highlight = editorParagraph(page, PARAGRAPH)
        .locator(`.comment-highlight[data-thread-id="${threadId}"]`)
        .first();
      await expect(highlight).toHaveText('ratification des normes');
      await highlight.evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await highlight.click();
      await expect(page.getByTestId('review-panel')).toBeVisible();
      const revealed = panel(page).locator('[data-revealed="true"]');
      await expect(revealed).toHaveAttribute('data-thread-id', threadId ?? '');
      await expect(revealed).toBeInViewport();
      await expectNoSidewaysOverflow(page, 'the document with the review drawer open');
      await settle(page);
      await page.screenshot({ path: path.join(SCREENSHOTS, `small-${size.slug}-comment-card.png`) });
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('review-panel')).toBeHidden();

      // Typing a suggestion: its card, at the caret, covers neither the typed words nor hides under the header.
      await selectWords(page, PARAGRAPH, 'décision souveraine');
      await page.keyboard.type('décision libre', { delay: 15 });
      const typed = editorParagraph(page, PARAGRAPH).locator('ins.suggestion.group-workers');
      await expect(typed).toHaveText('décision libre');
      const caretCard = page.getByTestId('suggestion-card');
      await expect(caretCard).toBeVisible();
      const cardBox = await box(caretCard);
      const typedBox = await box(typed);
      const overlaps = cardBox.y < typedBox.y + typedBox.height && typedBox.y < cardBox.y + cardBox.height;
      expect(overlaps, 'the suggestion card covers the words being typed').toBe(false);
      await expectClearOfHeader(page, caretCard, 'the suggestion card');
      await settle(page);
      await page.screenshot({ path: path.join(SCREENSHOTS, `small-${size.slug}-typing.png`) });
      // Then a 3,000-word proposal pasted after it.
      const long = ` ${'et conforme aux engagements pris devant la Conférence internationale du Travail '.repeat(273).trim()}`;
      await page.keyboard.insertText(long);
      await expect(typed).toContainText('Conférence internationale du Travail', { timeout: 15_000 });

      // Its amendment card asks why and shows the change in its sentence, inside the drawer's width.
      await page.getByTestId('review-toggle').click();
      const card = panel(page).locator('[data-amendment-id]').first();
      await expect(card.getByTestId('rationale-ask')).toBeVisible();
      const panelBox = await box(page.getByTestId('review-panel'));
      const askBox = await box(card.getByTestId('rationale-ask'));
      expect(askBox.x + askBox.width).toBeLessThanOrEqual(panelBox.x + panelBox.width + 1);
      // The 3,000 words fold to three lines; open, the change reads in its sentence.
      await expectProposalFolds(card, 20, async () => {
        await expect(card.getByTestId('proposal-before')).toHaveText('La stratégie repose sur la ');
        await expect(card.locator('ins')).toContainText('décision libre');
      });
      await expect(card.getByRole('button', { name: 'Show all' })).toBeInViewport();
      await expectNoSidewaysOverflow(page, 'the document with an amendment card');
    });

    test('a refusal is explained at the caret, on screen below the sticky header, even near the bottom of the screen', async ({
      page,
      browser,
      concord,
    }) => {
      test.setTimeout(90_000);
      const employers = await apiAs(concord, 'employers');
      await employers('POST', `/api/documents/${DOCUMENT_ID}/amendments`, {
        sectionId: SECTION,
        paragraph: PARAGRAPH,
        op: 'delete',
        find: 'une importance fondamentale',
      });
      await signIn(page, 'workers');
      await openParagraph(page);
      await expect(editorParagraph(page, PARAGRAPH).locator('del.suggestion.group-employers')).toHaveText(
        'une importance fondamentale',
      );

      // Its line low on the screen, where a popover under the caret would fall off the bottom.
      const { height } = page.viewportSize() ?? { height: 0 };
      await scrollLineTo(page, 'application revêtent ', Math.round(height * 0.85) - 30);
      await caretAfter(page, 'application revêtent ');
      const scrollBefore = await page.evaluate(() => window.scrollY);
      await forgeWordsAtCaret(page, 'MOTS REFUSÉS ');
      const popover = page.locator(`[data-section-id="${SECTION}"]`).getByTestId('refusal-popover');
      await expect(popover).toContainText('Only the Office’s decisions change the official text');
      await expect(editorParagraph(page, PARAGRAPH)).not.toContainText('MOTS REFUSÉS');
      // The page does not jump to it; it is wholly on screen, clear of the header.
      expect(Math.abs((await page.evaluate(() => window.scrollY)) - scrollBefore)).toBeLessThanOrEqual(2);
      await expect(popover).toBeInViewport({ ratio: 1 });
      await expectClearOfHeader(page, popover, 'the refusal popover');
      // Above the line: under it there is no room on the screen.
      const notice = page.locator(`[data-section-id="${SECTION}"]`).getByTestId('section-notice');
      await expect(notice).toHaveAttribute('data-placement', 'above');
      expect((await box(popover)).y + (await box(popover)).height).toBeLessThanOrEqual(
        (await wordsBox(page, 'application revêtent ')).bottom,
      );
      await settle(page);
      await page.screenshot({ path: path.join(SCREENSHOTS, `small-${size.slug}-refusal-low.png`) });
      await page.keyboard.press('Escape');
      await expect(popover).toHaveCount(0);

      // Its line just under the header: the popover under the caret, not under the header.
      await scrollLineTo(page, 'application revêtent ', Math.round((await headerBottom(page)) + 4));
      await caretAfter(page, 'application revêtent ');
      await forgeWordsAtCaret(page, 'ENCORE ');
      await expect(popover).toContainText('Only the Office’s decisions change the official text');
      await expect(notice).toHaveAttribute('data-placement', 'below');
      await expect(popover).toBeInViewport({ ratio: 1 });
      await expectClearOfHeader(page, popover, 'the refusal popover');
      await page.keyboard.press('Escape');
      await expect(popover).toHaveCount(0);

      // After the deadline: read-only ahead of typing, the reason in a bar that stays in view, within the width.
      const office = await another(browser, concord, size, 'office');
      const now = Date.now();
      const opened = await office.request.post(`/api/documents/${DOCUMENT_ID}/rounds`, {
        data: { amendmentDeadline: now + 2_500, subAmendmentDeadline: now + 60_000 },
      });
      expect(opened.status(), await opened.text()).toBe(201);
      const bar = page.getByTestId('amendments-closed-bar');
      await expect(bar).toContainText('read-only for new amendments', { timeout: 10_000 });
      await expect(page.locator(`[data-section-id="${SECTION}"] .ProseMirror`)).toHaveAttribute(
        'contenteditable',
        'false',
      );
      await page.evaluate(() => window.scrollBy(0, 1600));
      await expect(bar).toBeInViewport();
      await expectClearOfHeader(page, bar, 'the deadline bar');
      await expectNoSidewaysOverflow(page, 'the document after the deadline');
      expect(unexpectedConsole(office)).toEqual([]);
      await office.context().close();
    });

    test('the outline is a drawer and one Tab stop with arrow keys; Tab leaves the text; paragraph numbers stay on one line; fast scrolling logs nothing', async ({
      page,
    }) => {
      test.setTimeout(150_000);
      await signIn(page, 'gov-fr');
      await page.goto(`/d/${DOCUMENT_ID}#section-output-1-1`);
      await expect(liveSection(page, 'output-1-1')).toBeVisible({ timeout: 30_000 });
      const sidebar = page.getByTestId('doc-sidebar');
      const toggle = page.getByTestId('outline-toggle');
      await expect(sidebar).toBeHidden();
      await expect(toggle).toHaveAttribute('aria-expanded', 'false');

      // Opened from the keyboard: the current entry has the focus, the only entry in the Tab order.
      await toggle.focus();
      await page.keyboard.press('Enter');
      await expect(sidebar).toBeVisible();
      const tree = page.getByRole('tree', { name: 'Contents' });
      await expect(tree.locator('[role="treeitem"][tabindex="0"]')).toHaveCount(1);
      await expect(page.getByTestId('outline-output-1-1')).toBeFocused();
      // axe on the drawer at this size (axe-screens.spec.ts covers the phone's screens in full).
      if (size === ZOOM) await expectNoSeriousViolations(page, '200 % outline drawer', '#doc-sidebar');
      await expectClearOfHeader(page, page.getByTestId('outline-output-1-1'), 'the current outline entry');
      await page.keyboard.press('ArrowDown');
      await expect(page.getByTestId('outline-output-1-2')).toBeFocused();
      await expect(tree.locator('[role="treeitem"][tabindex="0"]')).toHaveCount(1);
      // Tab leaves the tree at once (not 60 stops).
      await page.keyboard.press('Tab');
      await expect(page.locator('[role="tree"] :focus')).toHaveCount(0);
      // Back in, Enter on an entry jumps there and closes the drawer.
      await page.getByTestId('outline-output-1-2').focus();
      await page.keyboard.press('ArrowDown');
      await expect(page.getByTestId('outline-output-1-3')).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(sidebar).toBeHidden();
      await expect(page).toHaveURL(/#section-output-1-3$/);
      await expect(page.getByTestId('outline-output-1-3')).toHaveAttribute('aria-current', 'location');
      await expect(page.locator('#section-output-1-3')).toBeInViewport();
      // From there the keyboard goes on section by section (Ctrl+Alt+↓ / ↑), not through every text's Tab stop.
      const order = (
        (await (await page.request.get(`/api/documents/${DOCUMENT_ID}`)).json()) as { sections: { id: string }[] }
      ).sections.map((s) => s.id);
      const next = order[order.indexOf('output-1-3') + 1];
      const focusedSection = () =>
        page.evaluate(
          () => document.activeElement?.closest<HTMLElement>('[data-section-id]')?.dataset.sectionId ?? null,
        );
      await expect.poll(focusedSection).toBe('output-1-3');
      await page.keyboard.press('Control+Alt+ArrowDown');
      await expect.poll(focusedSection).toBe(next);
      await expect(page.getByTestId(`outline-${next}`)).toHaveAttribute('aria-current', 'location');
      await page.keyboard.press('Control+Alt+ArrowUp');
      await expect.poll(focusedSection).toBe('output-1-3');
      // Only one section's text is a Tab stop, and Tab from it leaves the document's text.
      await expect(page.locator('main .ProseMirror[tabindex="0"]')).toHaveCount(1);
      const text = page.locator('[data-section-id="output-1-3"] .ProseMirror');
      await text.focus();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('.ProseMirror') !== null)).toBe(false);

      // Scrolled into the text, the header is a single line.
      await expect(page.locator('.app-header')).toHaveAttribute('data-compact', 'true');
      await expect.poll(async () => (await box(page.locator('.app-header'))).height).toBeLessThan(64);

      // Three-digit paragraph numbers on one line, nothing sideways.
      await page.goto(`/d/${DOCUMENT_ID}#p120`);
      const p120 = page.locator('[id="p120"]').first();
      await expect(p120).toBeInViewport();
      const measure = () =>
        p120.evaluate((el) => {
          const before = getComputedStyle(el, '::before');
          return {
            height: Number.parseFloat(before.height),
            line: Number.parseFloat(getComputedStyle(el).lineHeight),
            wrap: before.whiteSpace,
          };
        });
      // The static rendering is replaced by the live editor once the section connects: measure the number then.
      await expect
        .poll(async () => {
          const m = await measure();
          return m.wrap === 'nowrap' && m.height < m.line * 1.5;
        })
        .toBe(true);
      await expectNoSidewaysOverflow(page, 'the document');
      await settle(page);
      await page.screenshot({ path: path.join(SCREENSHOTS, `small-${size.slug}-p120.png`) });

      // Scrolling fast through the whole document at this size: the console stays quiet (the fixture
      // fails the test otherwise).
      await scrollFastThroughDocument(page);
    });

    test('the Office’s screens fit: the desk in one column, the audit log, versions and participants without sideways scrolling', async ({
      page,
      concord,
    }) => {
      test.setTimeout(120_000);
      const southAfrica = await apiAs(concord, 'gov-za');
      const workers = await apiAs(concord, 'workers');
      const employers = await apiAs(concord, 'employers');
      const office = await apiAs(concord, 'office');
      await office('POST', `/api/documents/${DOCUMENT_ID}/versions`, { name: 'Draft as circulated' });
      const za = await southAfrica(
        'POST',
        `/api/documents/${DOCUMENT_ID}/amendments`,
        amendment('destinée à promouvoir', 'destinée à encourager'),
      );
      const wk = await workers('POST', `/api/documents/${DOCUMENT_ID}/amendments`, amendment('importance', 'portée'));
      await employers('POST', `/api/amendments/${za.id}/support`);
      await workers('POST', `/api/amendments/${za.id}/oppose`);
      await employers('POST', `/api/amendments/${za.id}/second`);
      await office('POST', `/api/amendments/${wk.id}/reject`);

      await signIn(page, 'office');
      await page.goto(`/d/${DOCUMENT_ID}/desk`);
      const card = page.getByTestId(`desk-${za.ref}`);
      await expect(card.getByTestId('desk-tally-workers')).toContainText('Oppose 1');
      // One column: the revised text's preview below the cards, not beside them.
      const [main, preview] = await Promise.all([
        box(page.locator('main.desk')),
        box(page.getByTestId('revised-preview')),
      ]);
      expect(preview.y).toBeGreaterThanOrEqual(main.y + main.height - 1);
      // The tally's three groups inside the card (stacked where three columns do not fit).
      const cardBox = await box(card);
      for (const group of ['government', 'employers', 'workers']) {
        const g = await box(card.getByTestId(`desk-tally-${group}`));
        expect(g.x + g.width, `the ${group} column leaves its card`).toBeLessThanOrEqual(cardBox.x + cardBox.width + 1);
      }
      await expectNoSidewaysOverflow(page, 'the desk');
      await card.scrollIntoViewIfNeeded();
      await settle(page);
      await page.screenshot({ path: path.join(SCREENSHOTS, `small-${size.slug}-desk.png`) });

      // Back at the top, where the header shows the document's views again (one line once scrolled).
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByTestId('nav-audit').click();
      await expect(page.getByTestId('audit-table')).toContainText(
        `Claire Martin rejected ${wk.ref} (Workers) in paragraph ${PARAGRAPH}`,
      );
      await expectNoSidewaysOverflow(page, 'the audit log');
      await settle(page);
      await page.screenshot({ path: path.join(SCREENSHOTS, `small-${size.slug}-audit.png`) });

      await page.getByTestId('nav-versions').click();
      await expect(page.getByTestId('versions-table')).toContainText('Draft as circulated');
      await expectNoSidewaysOverflow(page, 'versions');
      await expectControlsInside(page, 'versions');
      await page.screenshot({ path: path.join(SCREENSHOTS, `small-${size.slug}-versions.png`) });

      await page.goto('/participants');
      await expect(page.getByTestId('participant-gov-fr')).toBeVisible();
      await expectNoSidewaysOverflow(page, 'participants');
      await expectControlsInside(page, 'participants');
      await page.screenshot({ path: path.join(SCREENSHOTS, `small-${size.slug}-participants.png`) });
    });
  });
}

test.describe(ZOOM.name, () => {
  test.use(ZOOM.use);

  test('the document list shows the round and counts, the outline what is new, and “Since your last visit” lists and links what changed', async ({
    page,
    concord,
  }) => {
    test.setTimeout(120_000);
    const workers = await apiAs(concord, 'workers');
    const employers = await apiAs(concord, 'employers');
    const office = await apiAs(concord, 'office');
    const now = Date.now();
    await office('POST', `/api/documents/${DOCUMENT_ID}/rounds`, {
      amendmentDeadline: now + 47 * 3_600_000 + 30 * 60_000,
      subAmendmentDeadline: now + 72 * 3_600_000,
    });
    const mine = await workers('POST', `/api/documents/${DOCUMENT_ID}/amendments`, amendment('importance', 'portée'));
    await signIn(page, 'workers');
    // A first visit to Produit 1.1, recorded once the section has stayed current.
    await openParagraph(page);
    await expect
      .poll(
        async () =>
          (await workers<{ firstVisitAt: number | null }>('GET', `/api/documents/${DOCUMENT_ID}/since`)).firstVisitAt,
        {
          timeout: 15_000,
        },
      )
      .not.toBeNull();
    await page.goto('/');
    await expect(page.getByRole('link', { name: 'Open GB.346/PFA/1' })).toBeVisible();
    const theirs = await employers(
      'POST',
      `/api/documents/${DOCUMENT_ID}/amendments`,
      amendment('formaliser', 'codifier'),
    );
    await office('POST', `/api/amendments/${mine.id}/reject`);

    await page.reload();
    const facts = page.getByTestId(`document-facts-${DOCUMENT_ID}`);
    await expect(facts.getByTestId('document-round')).toHaveText('Round 1: Amendments close in 1 d 23 h');
    await expect(facts.getByTestId('document-counts')).toHaveText('Amendments — pending: 1, accepted: 0, rejected: 1');
    await expectNoSidewaysOverflow(page, 'the document list');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'small-zoom200-documents.png') });

    // The outline counts what is new per section, in its drawer at this size (opened far from Produit 1.1,
    // which keeps its counts).
    await page.goto(`/d/${DOCUMENT_ID}#p1`);
    await expect(liveSection(page, 'part-1')).toBeVisible({ timeout: 30_000 });
    await page.getByTestId('outline-toggle').click();
    const news = page.getByTestId(`news-${SECTION}`);
    await expect(news).toBeVisible();
    await expect(news).toContainText('+1');
    await expect(news).toContainText('↻1');
    await expect(news).toHaveAttribute('title', /amendments: 1, status changes: 1/);
    await expectNoSidewaysOverflow(page, 'the outline drawer with its counts');

    await page.goto(`/d/${DOCUMENT_ID}/since`);
    const list = page.getByTestId('since-list');
    await expect(list.locator('li')).toHaveCount(2);
    await expect(list.locator('li').nth(0)).toContainText(
      `Claire Martin rejected ${mine.ref} (Workers) in paragraph ${PARAGRAPH}`,
    );
    await expect(list.locator('li').nth(1)).toContainText(
      `Renate Hornung tabled ${theirs.ref} (Employers) in paragraph ${PARAGRAPH}`,
    );
    await page.getByTestId('since-filter-myGroup').check();
    await expect(list.locator('li')).toHaveCount(1);
    await expectNoSidewaysOverflow(page, 'since your last visit');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'small-zoom200-since.png') });
    await list.getByRole('link', { name: new RegExp(`rejected ${mine.ref}`) }).click();
    await expect(page).toHaveURL(new RegExp(`/d/${DOCUMENT_ID}#p${PARAGRAPH}$`));
    const target = page.locator(`[id="p${PARAGRAPH}"]`).first();
    await expect(target).toBeInViewport();
    await expect
      .poll(() =>
        target.evaluate(
          (el) =>
            el.getBoundingClientRect().top -
            (document.querySelector('.app-header')?.getBoundingClientRect().bottom ?? 0),
        ),
      )
      .toBeGreaterThanOrEqual(-1);
  });
});

for (const size of [PHONE, ZOOM]) {
  test.describe(`Spanish at ${size.name}`, () => {
    test.use(size.use);

    test('the document, its drawers and the desk speak Spanish, fit the width, and pass axe', async ({
      page,
      browser,
      concord,
    }) => {
      test.setTimeout(150_000);
      await signIn(page, 'workers');
      await page.getByTestId('language-es').click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'es');
      await openParagraph(page);
      await expect(page.getByTestId('outline-toggle')).toContainText('Índice');
      await expect(page.getByTestId('connection-status')).toContainText('En directo');
      // The text keeps its own language.
      await expect(page.locator(`[data-section-id="${SECTION}"] .doc-text`).first()).toHaveAttribute('lang', 'fr');
      await expectNoSidewaysOverflow(page, 'the Spanish document');
      // Every control of the header inside the width, at the top and once it is one line.
      const headerFits = () =>
        page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('.app-header button, .app-header summary, .app-header a')]
            // Shown: not in a closed menu (its items are laid out, not drawn), not display: none.
            .filter(
              (el) =>
                el.getClientRects().length > 0 && !(el.closest('details:not([open])') && el.tagName !== 'SUMMARY'),
            )
            .filter((el) => {
              const r = el.getBoundingClientRect();
              return r.left < -1 || r.right > document.documentElement.clientWidth + 1;
            })
            .map((el) => el.textContent?.trim()),
        );
      await page.evaluate(() => window.scrollTo(0, 0));
      await expect(page.locator('.app-header')).toHaveAttribute('data-compact', 'false');
      expect(await headerFits()).toEqual([]);
      await settle(page);
      await page.screenshot({ path: path.join(SCREENSHOTS, `small-${size.slug}-spanish-top.png`) });
      await page.evaluate((n) => document.getElementById(`p${n}`)?.scrollIntoView({ block: 'start' }), PARAGRAPH);
      await expect(page.locator('.app-header')).toHaveAttribute('data-compact', 'true');
      expect(await headerFits()).toEqual([]);

      await page.getByTestId('outline-toggle').click();
      await expect(page.getByRole('tree', { name: 'Índice' })).toBeVisible();
      await expectNoSeriousViolations(page, `Spanish ${size.slug} outline`, '#doc-sidebar');
      await page.keyboard.press('Escape');
      await page.getByTestId('review-toggle').click();
      await expect(page.getByRole('complementary', { name: 'Enmiendas y comentarios' })).toBeVisible();
      await expectNoSidewaysOverflow(page, 'the Spanish review drawer');
      await settle(page);
      await page.screenshot({ path: path.join(SCREENSHOTS, `small-${size.slug}-spanish-review.png`) });
      await page.keyboard.press('Escape');

      const office = await another(browser, concord, size, 'office');
      await office.getByTestId('language-es').click();
      await office.goto(`/d/${DOCUMENT_ID}/desk`);
      await expect(office.getByTestId('desk-screen')).toContainText('Mesa de consolidación');
      await expectNoSidewaysOverflow(office, 'the Spanish desk');
      await expectNoSeriousViolations(office, `Spanish ${size.slug} desk`);
      await office.screenshot({ path: path.join(SCREENSHOTS, `small-${size.slug}-spanish-desk.png`) });
      expect(unexpectedConsole(office)).toEqual([]);
      await office.context().close();
    });
  });
}
