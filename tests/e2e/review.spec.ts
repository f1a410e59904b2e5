import path from 'node:path';
import type { Page } from '@playwright/test';
import {
  DOCUMENT_ID,
  SCREENSHOTS,
  editorParagraph,
  expect,
  liveSection,
  openAs,
  panel,
  selectWords,
  settle,
  test,
} from './fixtures.js';

const PARAGRAPH = 27;
const SECTION = 'output-1-1';
const WORKERS_COLOUR = 'rgb(163, 33, 74)';

async function officialText(page: Page): Promise<string> {
  const res = await page.request.get(`/api/documents/${DOCUMENT_ID}/sections/${SECTION}`);
  return ((await res.json()) as { text: string }).text;
}

test.describe('amendments and comments', () => {
  test('a Workers’ replacement is seen live in their colour, opposed, commented, supported and accepted; group notes stay in the group', async ({
    browser,
    concord,
  }) => {
    test.setTimeout(90_000);
    const workers = await openAs(browser, concord.url, 'workers', `#p${PARAGRAPH}`);
    const employers = await openAs(browser, concord.url, 'employers', `#p${PARAGRAPH}`);
    const france = await openAs(browser, concord.url, 'gov-fr', `#p${PARAGRAPH}`);
    const office = await openAs(browser, concord.url, 'office', `#p${PARAGRAPH}`);
    const everyone = [workers, employers, france, office];
    for (const { page } of everyone) {
      await expect(page.locator(`[data-section-id="${SECTION}"] [data-editable="true"]`)).toBeVisible();
      await expect(panel(page).getByTestId('review-section')).toContainText('Produit 1.1');
    }
    await expect(workers.page.getByTestId('suggesting-badge')).toBeVisible();
    await expect(office.page.getByTestId('edit-mode').getByRole('button', { name: 'Edit directly' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    // 1. A Workers' delegate replaces one word of paragraph 27 by typing: it becomes their suggestion.
    await selectWords(workers.page, PARAGRAPH, 'fondamentale');
    await workers.page.keyboard.type('essentielle', { delay: 20 });
    const inserted = (page: Page) => editorParagraph(page, PARAGRAPH).locator('ins.suggestion.group-workers');
    const deleted = (page: Page) => editorParagraph(page, PARAGRAPH).locator('del.suggestion.group-workers');
    await expect(inserted(workers.page)).toHaveText('essentielle');
    await expect(deleted(workers.page)).toHaveText('fondamentale');

    // 2. The Employers see it live, in the Workers' colour: underlined insertion, struck deletion.
    await expect(inserted(employers.page)).toHaveText('essentielle');
    await expect(deleted(employers.page)).toHaveText('fondamentale');
    await expect(inserted(employers.page)).toHaveCSS('text-decoration-color', WORKERS_COLOUR);
    await expect(inserted(employers.page)).toHaveCSS('text-decoration-line', 'underline');
    await expect(deleted(employers.page)).toHaveCSS('text-decoration-line', 'line-through');
    await expect(deleted(employers.page)).toHaveCSS('color', WORKERS_COLOUR);
    // Not colour alone: the words say whose it is, for screen readers.
    const hint = await inserted(employers.page).evaluate((el) => getComputedStyle(el, '::before').content);
    expect(hint).toContain('inserted by Workers');

    // The amendment record, created by the server from the typed suggestion, is in everyone's panel.
    const card = (page: Page) => panel(page).locator('[data-testid^="amendment-A-"]').first();
    for (const { page } of everyone) {
      await expect(card(page)).toBeVisible();
      await expect(card(page)).toContainText('Replacement');
      await expect(card(page).getByTestId('amendment-owner')).toHaveText('Workers');
      await expect(card(page).locator('.amendment__diff del')).toContainText('fondamentale');
      await expect(card(page).locator('.amendment__diff ins')).toContainText('essentielle');
      await expect(card(page).getByTestId('amendment-status')).toHaveText('Proposed');
    }
    const ref = ((await card(employers.page).locator('.amendment__ref button').textContent()) ?? '').split(' ')[0];
    expect(ref).toMatch(/^A-\d+$/);

    // Hovering the suggestion says whose it is and where it stands.
    const box = await inserted(employers.page).boundingBox();
    if (!box) throw new Error('the suggestion has no box');
    await employers.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(employers.page.getByTestId('suggestion-card')).toContainText('Kwame Mensah');
    await expect(employers.page.getByTestId('suggestion-card')).toContainText('Proposed');
    // The Workers cannot support their own amendment; they may withdraw it.
    await expect(card(workers.page).getByRole('button', { name: 'Support' })).toHaveCount(0);
    await expect(card(workers.page).getByRole('button', { name: 'Withdraw' })).toBeVisible();

    // 3. The Employers oppose it and say why, in a thread on the amendment.
    await card(employers.page).getByRole('button', { name: 'Oppose' }).click();
    await expect(card(employers.page).getByRole('button', { name: 'Oppose' })).toHaveAttribute('aria-pressed', 'true');
    await expect(card(employers.page).locator('tr[data-group="employers"] td[data-stance="oppose"]')).toHaveText('1');
    await card(employers.page)
      .getByRole('button', { name: /^Comment/ })
      .click();
    const form = panel(employers.page).getByTestId('new-thread');
    await expect(form.getByLabel(`amendment ${ref}`)).toBeChecked();
    await form.getByLabel('Your comment').fill('Les employeurs préfèrent garder « fondamentale ».');
    await form.getByRole('button', { name: 'Post the comment' }).click();
    await expect(panel(employers.page).getByTestId('thread-list')).toContainText('Les employeurs préfèrent garder');
    await expect(panel(workers.page).getByTestId('thread-list')).toContainText('Les employeurs préfèrent garder');
    await expect(panel(workers.page).getByTestId('thread-list')).toContainText(`On amendment ${ref}`);
    await expect(card(workers.page).locator('tr[data-group="employers"] td[data-stance="oppose"]')).toHaveText('1');

    // 4. A government supports it.
    await card(france.page).getByRole('button', { name: 'Support' }).click();
    await expect(card(france.page).getByTestId('amendment-votes')).toContainText('Supported by France');
    await expect(card(employers.page).locator('tr[data-group="government"] td[data-stance="support"]')).toHaveText('1');
    await expect(card(employers.page).getByTestId('amendment-votes')).toContainText('Opposed by Employers');

    // 5. A group-only note of the Workers, on the selected words: the Employers never see it.
    await selectWords(workers.page, PARAGRAPH, 'ratification des normes');
    const workersForm = panel(workers.page).getByTestId('new-thread');
    await expect(workersForm.getByLabel(/the selected words/)).toBeChecked();
    await workersForm.getByLabel('My group only (Workers’ group)').check();
    await workersForm.getByLabel('Your comment').fill('Note interne : tenir bon sur ce point.');
    await workersForm.getByRole('button', { name: 'Post the comment' }).click();
    const note = (page: Page) => panel(page).getByTestId('thread').filter({ hasText: 'Note interne' });
    await expect(note(workers.page)).toBeVisible();
    await expect(note(workers.page).getByTestId('thread-private')).toHaveText(
      'Only the Workers’ group and the Office can read this',
    );
    await expect(note(workers.page)).toContainText('On “ratification des normes”');
    await expect(note(office.page)).toBeVisible();
    // The Employers' and France's panels have the public thread, never the note, even after a reload.
    await expect(panel(france.page).getByTestId('thread-list')).toContainText('Les employeurs préfèrent garder');
    for (const page of [employers.page, france.page]) await expect(note(page)).toHaveCount(0);
    await settle(workers.page);
    await workers.page.screenshot({ path: path.join(SCREENSHOTS, 'review-group-note.png') });
    await employers.page.reload();
    await expect(card(employers.page)).toBeVisible();
    await expect(panel(employers.page).getByTestId('thread-list')).toContainText('Les employeurs préfèrent garder');
    await expect(note(employers.page)).toHaveCount(0);
    expect(
      JSON.stringify(await (await employers.page.request.get(`/api/documents/${DOCUMENT_ID}/threads`)).json()),
    ).not.toContain('Note interne');

    await inserted(employers.page).scrollIntoViewIfNeeded();
    await employers.page.mouse.move(0, 0);
    await settle(employers.page);
    await employers.page.screenshot({ path: path.join(SCREENSHOTS, 'review-suggestion.png') });

    // 6. The Office accepts it; everyone sees the new official text.
    await card(office.page).getByRole('button', { name: 'Accept' }).click();
    // The Office's own answer first: a refusal would be shown here, in the server's words.
    await expect(card(office.page).getByTestId('amendment-error')).toHaveCount(0);
    await expect(card(office.page).getByTestId('amendment-status')).toHaveText('Accepted', { timeout: 15_000 });
    for (const { page } of everyone) {
      await expect(card(page).getByTestId('amendment-status')).toHaveText('Accepted');
      await expect(editorParagraph(page, PARAGRAPH)).toContainText('une importance essentielle pour');
      await expect(editorParagraph(page, PARAGRAPH).locator('.suggestion')).toHaveCount(0);
    }
    await expect.poll(() => officialText(office.page)).toContain('une importance essentielle pour');
    expect(await officialText(office.page)).not.toContain('importance fondamentale');
    await expect(card(employers.page).getByRole('button', { name: 'Oppose' })).toHaveCount(0);
    await settle(france.page);
    await france.page.screenshot({ path: path.join(SCREENSHOTS, 'review-accepted.png') });

    for (const { context } of everyone) await context.close();
  });

  test('a change the server refuses is dropped from the tab, which resyncs and says why', async ({
    browser,
    concord,
  }) => {
    const workers = await openAs(browser, concord.url, 'workers', `#p${PARAGRAPH}`);
    const other = await openAs(browser, concord.url, 'employers', `#p${PARAGRAPH}`);
    const observer = await openAs(browser, concord.url, 'observer', `#p${PARAGRAPH}`);
    const editable = workers.page.locator(`[data-section-id="${SECTION}"] [data-editable="true"]`);
    await expect(editable).toBeVisible();
    await expect(liveSection(other.page, SECTION)).toBeVisible();
    const before = await officialText(workers.page);

    // A direct edit of the official text, past the Suggesting extension (as a modified client would).
    await workers.page.evaluate((n) => {
      type Dispatchable = {
        state: { tr: { insertText: (t: string, pos: number) => { setMeta: (k: string, v: boolean) => unknown } } };
        view: { dispatch: (tr: unknown) => void; posAtDOM: (node: Node, offset: number) => number };
      };
      const dom = document.querySelector('[data-section-id="output-1-1"] .ProseMirror') as
        | (HTMLElement & { editor?: Dispatchable })
        | null;
      const editor = dom?.editor;
      const paragraph = dom?.querySelector(`[id="p${n}"] p`);
      if (!editor || !paragraph) throw new Error('no editor');
      const pos = editor.view.posAtDOM(paragraph, 0);
      editor.view.dispatch(editor.state.tr.insertText('TEXTE FANTÔME ', pos).setMeta('concord-suggested', true));
    }, PARAGRAPH);

    // Refused: the tab drops its copy, resyncs from the server and says so; no ghost text remains.
    const notice = workers.page.locator(`[data-section-id="${SECTION}"]`).getByTestId('section-notice');
    await expect(notice).toContainText('Your change was not kept');
    await expect(notice).toContainText('official text');
    await expect(
      workers.page.locator(`[data-section-id="${SECTION}"] [data-generation="1"][data-live="true"]`),
    ).toBeVisible();
    await expect(editorParagraph(workers.page, PARAGRAPH)).not.toContainText('TEXTE FANTÔME');
    await expect(editorParagraph(other.page, PARAGRAPH)).not.toContainText('TEXTE FANTÔME');
    expect(await officialText(workers.page)).toBe(before);

    // And the section keeps working: a suggestion typed now arrives.
    await editorParagraph(workers.page, PARAGRAPH)
      .locator('p')
      .first()
      .click({ position: { x: 1, y: 4 } });
    await workers.page.keyboard.type('Proposé ensuite : ', { delay: 15 });
    await expect(editorParagraph(other.page, PARAGRAPH).locator('ins.suggestion.group-workers')).toHaveText(
      'Proposé ensuite : ',
    );

    // Observers see the others' carets too, and still cannot write.
    await expect(editorParagraph(observer.page, PARAGRAPH).locator('ins.suggestion.group-workers')).toHaveText(
      'Proposé ensuite : ',
    );
    await expect(observer.page.locator('.collaboration-carets__label', { hasText: 'Kwame Mensah' })).toBeVisible();
    await expect(observer.page.locator(`[data-section-id="${SECTION}"] .ProseMirror`)).toHaveAttribute(
      'contenteditable',
      'false',
    );
    await expect(panel(observer.page).getByTestId('new-thread')).toHaveCount(0);
    await expect(workers.page.locator('.collaboration-carets__label', { hasText: 'Ana Sousa' })).toHaveCount(0);

    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice).toBeEmpty();
    for (const s of [workers, other, observer]) await s.context.close();
  });
});
