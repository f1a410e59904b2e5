import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Correction } from '../../shared/corrections.js';
import { type CollabRefusedPayload, ServerEvent } from '../../shared/events.js';
import {
  type Concord,
  DOCUMENT_ID,
  SCREENSHOTS,
  editorParagraph,
  expect,
  liveSection,
  openAs,
  panel,
  settle,
  test,
} from './fixtures.js';

const PARAGRAPH = 27;
const SECTION = 'output-1-1';

interface AmendmentBody {
  id: string;
  ref: string;
  cosponsors?: { ownerKey: string }[];
  votes?: { ownerKey: string; stance: string }[];
}

/** An amendment by form, as its group would table it from the panel. */
async function amendByForm(page: Page, body: Record<string, unknown>): Promise<AmendmentBody> {
  const res = await page.request.post(`/api/documents/${DOCUMENT_ID}/amendments`, {
    data: { sectionId: SECTION, paragraph: PARAGRAPH, ...body },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as AmendmentBody;
}

async function amendments(page: Page): Promise<(AmendmentBody & { ownerKey: string; proposedText: string })[]> {
  const res = await page.request.get(`/api/documents/${DOCUMENT_ID}/amendments`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as unknown;
  return (Array.isArray(body) ? body : (body as { amendments: [] }).amendments) as never;
}

async function amendment(page: Page, id: string): Promise<AmendmentBody> {
  const found = (await amendments(page)).find((a) => a.id === id);
  if (!found) throw new Error(`no amendment ${id}`);
  return found;
}

/** Puts the caret in paragraph `n`, after `words`, as a click there would. */
async function caretAfter(page: Page, n: number, words: string): Promise<void> {
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
        range.setStart(node, at + words.length);
        range.collapse(true);
        const selection = window.getSelection();
        selection?.removeAllRanges();
        selection?.addRange(range);
        return;
      }
      throw new Error(`"${words}" is not in paragraph ${n}`);
    },
    { n, words },
  );
}

/**
 * Words typed at the caret straight into the text, past the Suggesting extension (as a modified client
 * would): the server refuses them with a 4409 close, whatever its guard's code for it.
 */
async function typeRefusedWordsAtCaret(page: Page, words: string): Promise<void> {
  await page.evaluate(
    ({ sectionId, words }) => {
      type Dispatchable = {
        state: { tr: { insertText: (t: string) => { setMeta: (k: string, v: boolean) => unknown } } };
        view: { dispatch: (tr: unknown) => void };
      };
      const dom = document.querySelector(`[data-section-id="${sectionId}"] .ProseMirror`) as
        | (HTMLElement & { editor?: Dispatchable })
        | null;
      const editor = dom?.editor;
      if (!editor) throw new Error('no editor');
      editor.view.dispatch(editor.state.tr.insertText(words).setMeta('concord-suggested', true));
    },
    { sectionId: SECTION, words },
  );
}

/** The coded refusal the collaboration guard sends beside its close (emitted here as the guard would). */
function sendRefusal(
  concord: Concord,
  group: string,
  params: CollabRefusedPayload['params'],
  code: CollabRefusedPayload['code'] = 'overlaps',
) {
  concord.server.services.events.toGroup(DOCUMENT_ID, group, ServerEvent.UpdateRefused, {
    documentId: DOCUMENT_ID,
    sectionId: SECTION,
    code,
    message: 'These words are already under another amendment.',
    params,
  });
}

test.describe('integrity of the record, in the interface', () => {
  test('a refused change is explained at the caret, in the UI language, with Co-sponsor and Support for an overlap', async ({
    browser,
    concord,
  }) => {
    test.setTimeout(60_000);
    const employers = await openAs(browser, concord.url, 'employers', `#p${PARAGRAPH}`);
    const workers = await openAs(browser, concord.url, 'workers', `#p${PARAGRAPH}`);
    const striking = await amendByForm(employers.page, { op: 'delete', find: 'une importance fondamentale' });
    await expect(workers.page.locator(`[data-section-id="${SECTION}"] [data-editable="true"]`)).toBeVisible();
    await expect(editorParagraph(workers.page, PARAGRAPH).locator('del.suggestion.group-employers')).toHaveText(
      'une importance fondamentale',
    );

    await caretAfter(workers.page, PARAGRAPH, 'application revêtent ');
    const scrollBefore = await workers.page.evaluate(() => window.scrollY);
    const paragraphBox = await editorParagraph(workers.page, PARAGRAPH).boundingBox();
    if (!paragraphBox) throw new Error('paragraph 27 has no box');

    // The Workers strike the same words the Employers strike: refused, with the existing amendment named.
    // The forged words are refused by the real guard first (code `official`, sent by the server); only
    // once that has been shown is the `overlaps` refusal sent, so that it is the latest, as it would be.
    await typeRefusedWordsAtCaret(workers.page, 'MOTS REFUSÉS ');
    const section = workers.page.locator(`[data-section-id="${SECTION}"]`);
    const popover = section.getByTestId('refusal-popover');
    await expect(popover).toContainText('Only the Office’s decisions change the official text');
    sendRefusal(concord, 'workers', {
      amendmentId: striking.id,
      ref: striking.ref,
      ownerKey: 'employers',
      paragraph: PARAGRAPH,
    });

    await expect(popover).toContainText('Your change was not kept.');
    await expect(popover).toContainText(`These words are already under amendment ${striking.ref} (Employers)`);
    await expect(section.locator('[data-generation="1"][data-live="true"]')).toBeVisible();
    await expect(editorParagraph(workers.page, PARAGRAPH)).not.toContainText('MOTS REFUSÉS');

    // In place: under the caret, inside paragraph 27's lines, and the page did not jump.
    const box = await popover.boundingBox();
    if (!box) throw new Error('the popover has no box');
    expect(box.y).toBeGreaterThan(paragraphBox.y);
    expect(box.y).toBeLessThan(paragraphBox.y + paragraphBox.height + 40);
    expect(Math.abs((await workers.page.evaluate(() => window.scrollY)) - scrollBefore)).toBeLessThanOrEqual(2);
    // The caret is back in the fresh editor, where the typing was.
    await expect(section.locator('.ProseMirror')).toBeFocused();
    const caretText = await workers.page.evaluate(() => {
      const s = window.getSelection();
      const node = s?.anchorNode;
      return node?.textContent?.slice(Math.max(0, (s?.anchorOffset ?? 0) - 24), s?.anchorOffset ?? 0) ?? '';
    });
    expect(caretText).toContain('application revêtent');
    await settle(workers.page);
    await workers.page.screenshot({ path: path.join(SCREENSHOTS, 'integrity-refusal-overlap.png') });

    // One click each; the result is announced in the same live region.
    await popover.getByRole('button', { name: `Co-sponsor ${striking.ref}` }).click();
    await expect(popover.getByTestId('refusal-outcome')).toHaveText(`Your group now co-sponsors ${striking.ref}.`);
    await expect
      .poll(async () => (await amendment(workers.page, striking.id)).cosponsors?.map((c) => c.ownerKey))
      .toEqual(['workers']);
    await popover.getByRole('button', { name: `Support ${striking.ref}` }).click();
    await expect(popover.getByTestId('refusal-outcome')).toHaveText(`Your support for ${striking.ref} is recorded.`);
    expect((await amendment(workers.page, striking.id)).votes).toContainEqual(
      expect.objectContaining({ ownerKey: 'workers', stance: 'support' }),
    );

    // In French, the same refusal reads in French (from its code, not the server's English sentence).
    await workers.page.getByTestId('language-fr').click();
    await expect(popover).toContainText('Votre modification n’a pas été conservée.');
    await expect(popover).toContainText(`Ces mots font déjà l’objet de l’amendement ${striking.ref} (Employeurs)`);
    await workers.page.screenshot({ path: path.join(SCREENSHOTS, 'integrity-refusal-overlap-fr.png') });
    await workers.page.getByTestId('language-en').click();

    // Escape closes it; the text keeps working.
    await workers.page.keyboard.press('Escape');
    await expect(popover).toHaveCount(0);
    for (const s of [employers, workers]) await s.context.close();
  });

  test('after the deadline a delegate’s text is read-only with the reason in a bar that stays; the Office suggests by default during the round', async ({
    browser,
    concord,
  }) => {
    test.setTimeout(60_000);
    const office = await openAs(browser, concord.url, 'office', `#p${PARAGRAPH}`);
    const workers = await openAs(browser, concord.url, 'workers', `#p${PARAGRAPH}`);
    const editable = workers.page.locator(`[data-section-id="${SECTION}"] [data-editable="true"]`);
    await expect(editable).toBeVisible();
    // Outside a round the Office edits directly, as before, and is told what that means.
    await expect(office.page.getByTestId('edit-mode').getByRole('button', { name: 'Edit directly' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(office.page.getByTestId('direct-edit-warning')).toContainText('audited');

    const now = Date.now();
    const opened = await office.page.request.post(`/api/documents/${DOCUMENT_ID}/rounds`, {
      data: { amendmentDeadline: now + 3_000, subAmendmentDeadline: now + 60_000 },
    });
    expect(opened.status(), await opened.text()).toBe(201);

    // The round is open: the Office's typing becomes an amendment of the Office by default.
    const suggest = office.page.getByTestId('edit-mode').getByRole('button', { name: 'Suggest changes' });
    await expect(suggest).toHaveAttribute('aria-pressed', 'true');
    await expect(office.page.getByTestId('direct-edit-warning')).toHaveCount(0);
    await caretAfter(office.page, PARAGRAPH, 'revêtent une importance fondamentale');
    await office.page.keyboard.type(' et urgente', { delay: 15 });
    await expect(editorParagraph(office.page, PARAGRAPH).locator('ins.suggestion.group-secretariat')).toHaveText(
      ' et urgente',
    );
    await expect(editorParagraph(workers.page, PARAGRAPH).locator('ins.suggestion.group-secretariat')).toHaveText(
      ' et urgente',
    );
    await expect
      .poll(async () => (await amendments(office.page)).map((a) => `${a.ownerKey}:${a.proposedText}`))
      .toContain('secretariat: et urgente');
    // Switching to direct editing says plainly what it does.
    await office.page.getByTestId('edit-mode').getByRole('button', { name: 'Edit directly' }).click();
    await expect(office.page.getByTestId('direct-edit-warning')).toContainText('change the official text');
    await settle(office.page);
    await office.page.screenshot({ path: path.join(SCREENSHOTS, 'integrity-office-direct.png') });

    // The deadline passes: the delegate's text turns read-only ahead of any typing, the reason stays in view.
    const bar = workers.page.getByTestId('amendments-closed-bar');
    await expect(bar).toContainText('Amendments closed on', { timeout: 10_000 });
    await expect(bar).toContainText('read-only for new amendments');
    await expect(workers.page.locator(`[data-section-id="${SECTION}"] .ProseMirror`)).toHaveAttribute(
      'contenteditable',
      'false',
    );
    await expect(editable).toHaveCount(0);
    await expect(bar).toHaveCSS('position', 'sticky');
    // Far down the text, the bar is still in view.
    await workers.page.evaluate(() => window.scrollBy(0, 2400));
    await expect(bar).toBeInViewport();
    await workers.page.evaluate(() => window.scrollBy(0, -2400));
    // Comments stay available.
    await expect(panel(workers.page).getByTestId('new-thread')).toBeVisible();
    await settle(workers.page);
    await workers.page.screenshot({ path: path.join(SCREENSHOTS, 'integrity-deadline-bar.png') });
    await workers.page.getByTestId('language-fr').click();
    await expect(bar).toContainText('Amendements clos le');
    await workers.page.screenshot({ path: path.join(SCREENSHOTS, 'integrity-deadline-bar-fr.png') });
    for (const s of [office, workers]) await s.context.close();
  });

  test('accepting with modifications shows the proposal in its sentence and a preview, without an invisible space', async ({
    browser,
    concord,
  }) => {
    test.setTimeout(60_000);
    const workers = await openAs(browser, concord.url, 'workers');
    const proposal = await amendByForm(workers.page, {
      op: 'insert',
      find: 'importance fondamentale',
      text: ' et prioritaire',
    });
    const office = await openAs(browser, concord.url, 'office');
    await office.page.getByTestId('nav-desk').click();
    const card = office.page.getByTestId(`desk-${proposal.ref}`);
    await card.getByRole('button', { name: `Accept with modifications ${proposal.ref}` }).click();

    const dialog = office.page.getByTestId('modify-dialog');
    await expect(dialog).toBeVisible();
    // The sentence around it, with the proposal's leading space as part of the sentence, not of the words.
    const context = dialog.getByTestId('modify-context');
    await expect(context).toContainText('L’élaboration, la promotion');
    await expect(context).toContainText(
      'revêtent une importance fondamentale Proposed text: et prioritaire pour l’OIT.',
    );
    await expect(context.locator('mark')).toHaveText('Proposed text: et prioritaire');
    const words = dialog.getByLabel(`The Office’s words for ${proposal.ref}`);
    await expect(words).toBeFocused();
    await expect(words).toHaveValue('et prioritaire');
    await words.fill('et hautement prioritaire');
    await expect(dialog.getByTestId('modify-preview')).toContainText(
      'revêtent une importance fondamentale et hautement prioritaire pour l’OIT.',
    );
    await expect(dialog.getByTestId('modify-preview').locator('ins')).toHaveText('et hautement prioritaire');
    await office.page.screenshot({ path: path.join(SCREENSHOTS, 'integrity-accept-modified.png') });

    await dialog.getByRole('button', { name: 'Accept with these words' }).click();
    await expect(office.page.getByTestId('desk-announcer')).toContainText(
      `${proposal.ref} is accepted with the Office’s words`,
    );
    await expect(dialog).toHaveCount(0);
    await expect
      .poll(async () => {
        const res = await office.page.request.get(`/api/documents/${DOCUMENT_ID}/sections/${SECTION}`);
        return ((await res.json()) as { text: string }).text;
      })
      .toContain('importance fondamentale et hautement prioritaire pour');
    for (const s of [office, workers]) await s.context.close();
  });

  test('a paragraph the Office corrected directly carries a quiet marker with the words before and after', async ({
    browser,
    concord,
  }) => {
    const workers = await openAs(browser, concord.url, 'workers', `#p${PARAGRAPH}`);
    await expect(liveSection(workers.page, SECTION)).toBeVisible();
    await expect(workers.page.getByTestId(`correction-p${PARAGRAPH}`)).toHaveCount(0);
    const correction: Correction = {
      id: 'c-1',
      documentId: DOCUMENT_ID,
      sectionId: SECTION,
      paragraph: PARAGRAPH,
      before: 'revêtent une importance fondamentale pour l’OIT',
      after: 'revêtent une importance fondamentale pour l’OIT.',
      byUserId: 'office',
      byName: 'Claire Dubois',
      startedAt: Date.now() - 4_000,
      at: Date.now(),
    };
    concord.server.services.events.toDocument(DOCUMENT_ID, ServerEvent.CorrectionRecorded, { correction });

    const marker = workers.page.getByTestId(`correction-p${PARAGRAPH}`);
    const button = marker.getByRole('button', {
      name: `Paragraph ${PARAGRAPH} was corrected by the Office: show what changed`,
    });
    await expect(button).toBeVisible();
    // Beside its paragraph, in the margin.
    const [markerBox, paragraphBox] = await Promise.all([
      button.boundingBox(),
      editorParagraph(workers.page, PARAGRAPH).boundingBox(),
    ]);
    if (!markerBox || !paragraphBox) throw new Error('no box');
    expect(markerBox.x + markerBox.width).toBeLessThanOrEqual(paragraphBox.x);
    expect(markerBox.y).toBeGreaterThanOrEqual(paragraphBox.y);
    expect(markerBox.y).toBeLessThan(paragraphBox.y + paragraphBox.height);

    // Keyboard focus shows the words before and after, as hovering does.
    await button.focus();
    const tip = workers.page.getByRole('tooltip');
    await expect(tip).toContainText('Corrected by the Office');
    await expect(tip).toContainText('Before');
    await expect(tip).toContainText('pour l’OIT.');
    await expect(button).toHaveAttribute('aria-describedby', /.+/);
    await workers.page.screenshot({ path: path.join(SCREENSHOTS, 'integrity-correction.png') });
    await workers.page.keyboard.press('Escape');
    await expect(tip).toHaveCount(0);
    await button.blur();
    await button.hover();
    await expect(tip).toBeVisible();
    await workers.context.close();
  });
});
