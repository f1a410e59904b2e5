import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import {
  DOCUMENT_ID,
  SCREENSHOTS,
  editorParagraph,
  expect,
  panel,
  selectWords,
  settle,
  signIn,
  test,
} from './fixtures.js';

/** Issue 12, item 1: commented words are marked in the text, and the text leads to the cards. */
const PARAGRAPH = 27;
const SECTION = 'output-1-1';
const WORKERS_COLOUR = 'rgb(163, 33, 74)';

async function open(browser: Browser, url: string, username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  await signIn(page, username);
  await page.goto(`/d/${DOCUMENT_ID}#p${PARAGRAPH}`);
  await expect(page.locator(`[data-section-id="${SECTION}"] [data-editable="true"]`)).toBeVisible({ timeout: 30_000 });
  return page;
}

const highlights = (page: Page) => editorParagraph(page, PARAGRAPH).locator('.comment-highlight');

/** The thread id of the card the panel last brought into view. */
async function revealedId(page: Page): Promise<string | null> {
  const card = panel(page).locator('[data-revealed="true"]');
  await expect(card).toBeInViewport();
  return (await card.getAttribute('data-thread-id')) ?? (await card.getAttribute('data-amendment-id'));
}

test('comments from a selection bubble and Ctrl+Alt+M are marked in the text; clicks and Alt+↓/↑ lead to their cards', async ({
  browser,
  concord,
}) => {
  test.setTimeout(150_000);
  const workers = await open(browser, concord.url, 'workers');
  const employers = await open(browser, concord.url, 'employers');

  // Selecting words shows a bubble with Comment; it opens the form on those words, focused.
  await selectWords(workers, PARAGRAPH, 'ratification des normes');
  const bubble = workers.getByTestId('selection-bubble');
  await expect(bubble).toBeVisible();
  await bubble.getByRole('button', { name: 'Comment' }).click();
  const form = panel(workers).getByTestId('new-thread');
  await expect(form.getByLabel('Your comment')).toBeFocused();
  await expect(form.getByLabel(/the selected words/)).toBeChecked();
  await form.getByLabel('Your comment').fill('Pourquoi seulement la ratification ?');
  await form.getByRole('button', { name: 'Post the comment' }).click();

  // The commented words are highlighted for everyone, in the neutral colour.
  await expect(highlights(workers)).toHaveText(['ratification des normes']);
  await expect(highlights(employers)).toHaveText(['ratification des normes']);
  await expect(highlights(employers).first()).not.toHaveClass(/comment-highlight--group/);

  // Ctrl+Alt+M on other words, a note for the Workers only: their tint, and the Employers never see it.
  await selectWords(workers, PARAGRAPH, 'fondamentale');
  await workers.keyboard.press('Control+Alt+m');
  await expect(form.getByLabel('Your comment')).toBeFocused();
  await form.getByLabel('My group only (Workers’ group)').check();
  await form.getByLabel('Your comment').fill('Note interne.');
  await form.getByRole('button', { name: 'Post the comment' }).click();
  const note = editorParagraph(workers, PARAGRAPH).locator('.comment-highlight--group');
  await expect(note).toHaveText('fondamentale');
  await expect(note).toHaveCSS('border-bottom-color', WORKERS_COLOUR);
  await expect(panel(employers).getByTestId('thread')).toHaveCount(1);
  await expect(highlights(employers)).toHaveCount(1);
  await settle(workers);
  await workers.screenshot({ path: path.join(SCREENSHOTS, 'comments-in-text.png') });

  // A click on commented words opens the panel (closed here) at that thread's card. Below 1200 px: wider,
  // a closed panel leaves the comments in the margin (margin.spec.ts).
  await employers.setViewportSize({ width: 1100, height: 900 });
  await employers.getByTestId('review-toggle').click();
  await expect(employers.getByTestId('review-panel')).toBeHidden();
  // The narrower window reflowed the text (its section may have left the screen and gone quiet): the
  // paragraph back in the middle of the screen, clear of the header, live again.
  await employers.evaluate((n) => document.getElementById(`p${n}`)?.scrollIntoView({ block: 'center' }), PARAGRAPH);
  await expect(highlights(employers).first()).toBeVisible({ timeout: 20_000 });
  await highlights(employers)
    .first()
    .evaluate((el) => el.scrollIntoView({ block: 'center' }));
  // Read before the panel opens and narrows the text (which may take the words off the screen).
  const employersThread = await highlights(employers).first().getAttribute('data-thread-id');
  await highlights(employers).first().click();
  await expect(employers.getByTestId('review-panel')).toBeVisible();
  expect(await revealedId(employers)).toBe(employersThread);
  // Back to the wide window (the panel open now, as before), the paragraph in view.
  await employers.setViewportSize({ width: 1440, height: 900 });
  await employers.evaluate((n) => document.getElementById(`p${n}`)?.scrollIntoView({ block: 'center' }), PARAGRAPH);

  // Alt+↓ / Alt+↑ from the start of the paragraph: the commented ranges in reading order, each card shown.
  // One range may be drawn as several spans (where marks or carets split the text): one stop per thread.
  const inOrder = (
    await highlights(workers).evaluateAll((els) => els.map((e) => e.getAttribute('data-thread-id')))
  ).filter((id, i, all) => i === 0 || id !== all[i - 1]);
  expect(inOrder).toHaveLength(2);
  await editorParagraph(workers, PARAGRAPH)
    .locator('p')
    .first()
    .click({ position: { x: 1, y: 4 } });
  await workers.keyboard.press('Home');
  await workers.keyboard.press('Alt+ArrowDown');
  expect(await revealedId(workers)).toBe(inOrder[0]);
  await workers.keyboard.press('Alt+ArrowDown');
  expect(await revealedId(workers)).toBe(inOrder[1]);
  await workers.keyboard.press('Alt+ArrowUp');
  expect(await revealedId(workers)).toBe(inOrder[0]);

  // A suggestion typed in the text: clicking it brings its amendment card into view.
  await selectWords(workers, PARAGRAPH, 'États Membres');
  await workers.keyboard.type('pays', { delay: 20 });
  // Typing inside one's own suggestion: its card sits above the line, never over the text being typed.
  const caretCard = workers.getByTestId('suggestion-card');
  await expect(caretCard).toHaveAttribute('data-placement', 'above');
  const cardBox = await caretCard.boundingBox();
  const typedBox = await editorParagraph(workers, PARAGRAPH).locator('ins.suggestion.group-workers').boundingBox();
  if (!cardBox || !typedBox) throw new Error('no boxes');
  expect(cardBox.y + cardBox.height).toBeLessThanOrEqual(typedBox.y + 1);
  const inserted = editorParagraph(employers, PARAGRAPH).locator('ins.suggestion.group-workers');
  await expect(inserted).toHaveText('pays');
  await expect(panel(employers).locator('[data-amendment-id]')).toHaveCount(1);
  await inserted.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const box = await inserted.boundingBox();
  if (!box) throw new Error('the insertion has no box');
  await employers.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const amendmentId = await panel(employers).locator('[data-amendment-id]').first().getAttribute('data-amendment-id');
  await expect.poll(() => revealedId(employers)).toBe(amendmentId);
});
