import path from 'node:path';
import type { Browser, Locator, Page } from '@playwright/test';
import {
  DOCUMENT_ID,
  SCREENSHOTS,
  editorParagraph,
  expect,
  expectProposalFolds,
  openEditable,
  panel,
  selectWords,
  settle,
  test,
} from './fixtures.js';

/**
 * Issue 12, items 1 and 4: comments in a margin level with their words on wide screens (the panel on
 * narrow ones), and amendments that explain themselves — the rationale asked for after typing, long
 * proposals folded, the change read in its sentence (in the review card and on the desk).
 */
const PARAGRAPH = 27;
const SECTION = 'output-1-1';
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

const open = (browser: Browser, url: string, username: string, viewport: { width: number; height: number }) =>
  openEditable(browser, url, username, viewport, PARAGRAPH, SECTION);

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  if (!found) throw new Error('no box');
  return found;
}

/** The margin's shown cards, top to bottom, none overlapping the next. */
async function expectStackedWithoutOverlap(page: Page): Promise<void> {
  const boxes = await page
    .locator('#margin [data-margin-slot]:not([hidden])')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom })));
  boxes.sort((a, b) => a.top - b.top);
  for (let i = 1; i < boxes.length; i++)
    expect(boxes[i]?.top ?? 0).toBeGreaterThanOrEqual((boxes[i - 1]?.bottom ?? 0) - 0.5);
}

/** Top of the words selected in the text, in the viewport. */
const selectionTop = (page: Page) =>
  page.evaluate(() => window.getSelection()?.getRangeAt(0).getBoundingClientRect().top ?? -1);

const highlight = (page: Page, threadId: string) =>
  page.locator(`#main .comment-highlight[data-thread-id="${threadId}"]`).first();

async function commentInMargin(page: Page, words: string, body: string): Promise<string> {
  await selectWords(page, PARAGRAPH, words);
  const wordsTop = await selectionTop(page);
  await page.keyboard.press('Control+Alt+m');
  const form = page.locator('#margin [data-margin-slot="new"]');
  await expect(form.getByLabel('Your comment')).toBeFocused();
  // Level with the selected words (unless a card above pushes it down, which none does here).
  expect(Math.abs((await box(form)).y - wordsTop)).toBeLessThanOrEqual(3);
  const before = await page
    .locator('#margin [data-kind="thread"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
  await form.getByLabel('Your comment').fill(body);
  await form.getByRole('button', { name: 'Post the comment' }).click();
  await expect(form).toHaveCount(0);
  await expect
    .poll(async () => (await page.locator('#margin [data-kind="thread"]').count()) > before.length)
    .toBe(true);
  const after = await page
    .locator('#margin [data-kind="thread"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
  const id = after.find((x) => !before.includes(x));
  if (!id) throw new Error('no new thread in the margin');
  return id;
}

test('wide screens: comments sit in the margin level with their words, stacked; the clicked one moves to its words; the current amendment asks why', async ({
  browser,
  concord,
}) => {
  test.setTimeout(120_000);
  const page = await open(browser, concord.url, 'workers', DESKTOP);
  // The panel closed, the comments are in the margin beside the text.
  await page.getByTestId('review-toggle').click();
  await expect(page.getByTestId('review-panel')).toBeHidden();
  const margin = page.getByRole('complementary', { name: 'Comments beside the text' });
  await expect(margin).toBeVisible();

  const first = await commentInMargin(page, 'importance fondamentale', 'Pourquoi « fondamentale » ?');
  const second = await commentInMargin(page, 'La ratification est', 'Préciser la ratification.');
  const firstCard = margin.locator(`[data-margin-slot="thread:${first}"]`);
  const secondCard = margin.locator(`[data-margin-slot="thread:${second}"]`);
  await expect(firstCard).toContainText('Pourquoi « fondamentale » ?');
  await expect(secondCard).toContainText('Préciser la ratification.');

  // Beside the text, never over it; the first level with its words; the second (same line) pushed below it.
  const text = await box(editorParagraph(page, PARAGRAPH));
  const firstBox = await box(firstCard);
  expect(firstBox.x).toBeGreaterThanOrEqual(text.x + text.width);
  await expect
    .poll(async () => Math.abs((await box(firstCard)).y - (await box(highlight(page, first))).y))
    .toBeLessThanOrEqual(2);
  await expectStackedWithoutOverlap(page);

  // A click on the second one's words: its card comes level with them, the first pushed up out of its way.
  await highlight(page, second).click();
  await expect(secondCard).toHaveAttribute('data-active', 'true');
  await expect(secondCard).toHaveAttribute('data-revealed', 'true');
  await expect
    .poll(async () => Math.abs((await box(secondCard)).y - (await box(highlight(page, second))).y))
    .toBeLessThanOrEqual(2);
  await expectStackedWithoutOverlap(page);
  await expect(secondCard).toBeInViewport();

  // Alt+↑ / Alt+↓ from the text move between them, each card brought level with its words.
  await editorParagraph(page, PARAGRAPH)
    .locator('p')
    .first()
    .click({ position: { x: 1, y: 4 } });
  await page.keyboard.press('Home');
  await page.keyboard.press('Alt+ArrowDown');
  await expect(firstCard).toHaveAttribute('data-active', 'true');
  await page.keyboard.press('Alt+ArrowDown');
  await expect(secondCard).toHaveAttribute('data-active', 'true');
  await page.keyboard.press('Alt+ArrowUp');
  await expect(firstCard).toHaveAttribute('data-active', 'true');
  await expect
    .poll(async () => Math.abs((await box(firstCard)).y - (await box(highlight(page, first))).y))
    .toBeLessThanOrEqual(2);
  await expectStackedWithoutOverlap(page);

  // Typing a suggestion: its card is the margin's current one, beside the line being typed, and asks why
  // without taking the focus (the typing goes on in the text).
  await selectWords(page, PARAGRAPH, 'décision souveraine');
  await page.keyboard.type('décision libre', { delay: 15 });
  const typed = editorParagraph(page, PARAGRAPH).locator('ins.suggestion.group-workers');
  await expect(typed).toHaveText('décision libre');
  const card = margin.locator('[data-kind="amendment"]');
  await expect(card).toHaveAttribute('data-active', 'true');
  const ask = card.getByTestId('rationale-ask');
  await expect(ask).toContainText('Add a rationale');
  await expect(page.locator(`[data-section-id="${SECTION}"] .ProseMirror`)).toBeFocused();
  await page.keyboard.type(' et éclairée', { delay: 15 });
  await expect(typed).toHaveText('décision libre et éclairée');
  const typedBox = await box(typed);
  const cardBox = await box(card);
  expect(cardBox.x).toBeGreaterThanOrEqual(typedBox.x + typedBox.width);
  expect(Math.abs(cardBox.y - typedBox.y)).toBeLessThanOrEqual(3);
  // The change in its sentence: the official words around it, the change highlighted.
  await expect(card.getByTestId('proposal-before')).toHaveText('La stratégie repose sur la ');
  await expect(card.getByTestId('proposal-after')).toContainText('des États Membres et sur les efforts');
  await expect(card.locator('ins')).toContainText('décision libre et éclairée');
  await expectStackedWithoutOverlap(page);

  await ask.getByRole('textbox').fill('Le libre consentement des États est le fondement de la ratification.');
  await ask.getByRole('button', { name: 'Save the rationale' }).click();
  await expect(card.getByTestId('rationale-ask')).toHaveCount(0);
  await expect(card).toContainText('Le libre consentement des États');
  await expect(card.getByRole('button', { name: 'Edit the rationale' })).toBeVisible();

  // The same card in the panel says the same (one source), and the panel replaces the margin.
  await page.getByTestId('review-toggle').click();
  await expect(margin).toHaveCount(0);
  await expect(
    panel(page).locator('[data-amendment-id]').getByRole('button', { name: 'Edit the rationale' }),
  ).toBeVisible();
  await page.getByTestId('review-toggle').click();
  await expect(margin).toBeVisible();
  // A click into the suggestion: its card comes level with it, the two comments above pushed up.
  await typed.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  // Its first line (a suggestion that wraps has no word at its box's centre).
  const line = await typed.evaluate((el) => {
    const r = el.getClientRects()[0];
    return r ? { x: r.left + 6, y: r.top + r.height / 2 } : null;
  });
  if (!line) throw new Error('the suggestion has no line');
  await page.mouse.click(line.x, line.y);
  await expect(card).toHaveAttribute('data-active', 'true');
  await expect(card).toHaveAttribute('data-revealed', 'true');
  await expect(page.getByTestId('suggestion-card')).toHaveCount(0);
  await expect.poll(async () => Math.abs((await box(card)).y - (await box(typed)).y)).toBeLessThanOrEqual(3);
  await expectStackedWithoutOverlap(page);
  await page.mouse.move(0, 0);
  // The paragraph near the top, its three cards beside it.
  await editorParagraph(page, PARAGRAPH).evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -170);
  });
  await settle(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'margin-comments.png') });
  await page.context().close();
});

test('phone: no margin, the panel as before; a typed amendment asks why once, folds when long, reads in its sentence; the desk card too', async ({
  browser,
  concord,
}) => {
  test.setTimeout(120_000);
  const page = await open(browser, concord.url, 'workers', PHONE);
  await expect(page.getByTestId('margin')).toHaveCount(0);

  await selectWords(page, PARAGRAPH, 'décision souveraine');
  await page.keyboard.type('décision libre', { delay: 15 });
  const typed = editorParagraph(page, PARAGRAPH).locator('ins.suggestion.group-workers');
  await expect(typed).toHaveText('décision libre');
  // A long pasted proposal (hundreds of words) after it.
  const long = ` ${'et conforme aux engagements pris devant la Conférence internationale du Travail '.repeat(25).trim()}`;
  await page.keyboard.insertText(long);
  await expect(typed).toContainText('Conférence internationale du Travail', { timeout: 15_000 });
  await expect(page.getByTestId('margin')).toHaveCount(0);

  await page.getByTestId('review-toggle').click();
  const card = panel(page).locator('[data-amendment-id]').first();
  await expect(card.getByTestId('rationale-ask')).toBeVisible();
  await expectProposalFolds(card, 4, () =>
    expect(card.getByTestId('proposal-before')).toHaveText('La stratégie repose sur la '),
  );

  // Not now: dismissed, and not asked again after a reload; the rationale can still be written.
  await card.getByTestId('rationale-ask').getByRole('button', { name: 'Not now' }).click();
  await expect(card.getByTestId('rationale-ask')).toHaveCount(0);
  await expect(card.getByRole('button', { name: 'Write the rationale' })).toBeVisible();
  await page.reload();
  await expect(page.locator(`[data-section-id="${SECTION}"] [data-editable="true"]`)).toBeVisible({ timeout: 30_000 });
  if (!(await page.getByTestId('review-panel').isVisible())) await page.getByTestId('review-toggle').click();
  const again = panel(page).locator('[data-amendment-id]').first();
  await expect(again.getByRole('button', { name: 'Write the rationale' })).toBeVisible();
  await expect(again.getByTestId('rationale-ask')).toHaveCount(0);
  // No horizontal overflow on the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  await page.context().close();

  // The Office's desk card shows the change in its sentence too.
  const employers = await open(browser, concord.url, 'employers', PHONE);
  const res = await employers.request.post(`/api/documents/${DOCUMENT_ID}/amendments`, {
    data: { sectionId: SECTION, paragraph: PARAGRAPH, op: 'replace', find: 'contrôle', text: 'suivi' },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { ref } = (await res.json()) as { ref: string };
  await employers.context().close();
  for (const viewport of [PHONE, DESKTOP]) {
    const office = await open(browser, concord.url, 'office', viewport);
    await office.goto(`/d/${DOCUMENT_ID}/desk`);
    const desk = office.getByTestId(`desk-${ref}`);
    await expect(desk.getByTestId('proposal-before')).toHaveText(
      'L’élaboration, la promotion, la ratification des normes internationales du travail et le ',
    );
    await expect(desk.locator('del')).toContainText('contrôle');
    await expect(desk.locator('ins')).toContainText('suivi');
    await expect(desk.getByTestId('proposal-after')).toContainText(
      'de leur application revêtent une importance fondamentale',
    );
    await office.context().close();
  }
});
