import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { DOCUMENT_ID, expect, liveSection, signIn, test } from './fixtures.js';

/** Issue 12, item 7: the outline one Tab stop, the text one Tab stop, named landmarks, and axe. */

/**
 * axe over the whole screen. On the document, colour contrast (by far the slowest rule over 60 sections
 * of text) is checked on the chrome and the section in view: the other sections share its styles.
 */
async function expectNoSeriousViolations(page: Page, screen: string, inView?: string): Promise<void> {
  const started = Date.now();
  const passes = inView
    ? [
        new AxeBuilder({ page }).disableRules(['color-contrast']),
        new AxeBuilder({ page })
          .withRules(['color-contrast'])
          .include('header')
          .include('#doc-sidebar')
          .include(inView),
      ]
    : [new AxeBuilder({ page })];
  const violations = [];
  for (const pass of passes) violations.push(...(await pass.analyze()).violations);
  console.log(`axe on ${screen}: ${Date.now() - started} ms`);
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${screen}: ${v.id} (${v.impact}) — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
  expect(serious).toEqual([]);
}

test('the outline is one Tab stop with arrow keys, Tab leaves the text, Ctrl+Alt+↓ goes to the next section', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, 'gov-fr');
  await page.goto(`/d/${DOCUMENT_ID}#section-output-1-1`);
  await expect(liveSection(page, 'output-1-1')).toBeVisible({ timeout: 30_000 });

  const tree = page.getByRole('tree', { name: 'Contents' });
  await expect(tree).toBeVisible();
  // One entry in the Tab order: the current section's.
  await expect(tree.locator('[role="treeitem"][tabindex="0"]')).toHaveCount(1);
  await expect(tree.locator('[role="treeitem"][tabindex="0"]')).toHaveAttribute('data-testid', 'outline-output-1-1');
  await page.getByTestId('search-input').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('outline-output-1-1')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('outline-output-1-2')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  const parent = tree.locator('[role="treeitem"]:focus');
  await expect(parent).toContainText('Résultat 1');
  expect(Number(await parent.getAttribute('aria-level'))).toBe(
    Number(await page.getByTestId('outline-output-1-2').getAttribute('aria-level')) - 1,
  );
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('outline-output-1-1')).toBeFocused();
  // Tab leaves the tree at once.
  await page.keyboard.press('Tab');
  await expect(page.locator('[role="tree"] :focus')).toHaveCount(0);

  // The text: only the current section's editor is a Tab stop; Tab from it leaves the document.
  const editor = page.locator('[data-section-id="output-1-1"] .ProseMirror');
  await expect(editor).toHaveAttribute('tabindex', '0');
  const others = page.locator('main .ProseMirror[tabindex="0"]');
  await expect(others).toHaveCount(1);
  await editor.focus();
  await page.keyboard.press('Tab');
  const nextInText = await page.evaluate(() => document.activeElement?.closest('.ProseMirror') !== null);
  expect(nextInText).toBe(false);

  // Ctrl+Alt+↓ from the text: the next section's text.
  await editor.focus();
  await page.keyboard.press('Control+Alt+ArrowDown');
  // Its text when already connected, else the section itself (it connects once in view).
  const focusedSection = () =>
    page.evaluate(() => document.activeElement?.closest<HTMLElement>('[data-section-id]')?.dataset.sectionId ?? null);
  await expect.poll(focusedSection).toBe('output-1-2');
  await expect(page.getByTestId('outline-output-1-2')).toHaveAttribute('aria-current', 'location');
  await page.keyboard.press('Control+Alt+ArrowUp');
  await expect.poll(focusedSection).toBe('output-1-1');

  // Every landmark of the screen has a name (the document's own boxes, <aside> in its text, are the
  // document's content, titled by their first line: not checked here).
  const unnamed = await page.evaluate(() =>
    [
      ...document.querySelectorAll(
        'header, main, nav, aside, [role="region"], [role="complementary"], [role="navigation"]',
      ),
    ]
      .filter((el) => !el.closest('.doc-text') && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  expect(unnamed).toEqual([]);
});

test('axe finds no serious or critical violation on sign-in, the document (delegate, observer) and the desk', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await expect(page.getByRole('button', { name: /sign in/i })).toBeVisible();
  await expectNoSeriousViolations(page, 'sign-in');

  await signIn(page, 'gov-fr');
  await page.goto(`/d/${DOCUMENT_ID}#p27`);
  await expect(liveSection(page, 'output-1-1')).toBeVisible({ timeout: 30_000 });
  await expectNoSeriousViolations(page, 'document as delegate', '[data-section-id="output-1-1"]');

  await page.getByTestId('user-menu').locator('summary').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'office');
  await page.goto(`/d/${DOCUMENT_ID}/desk`);
  await expect(page.getByTestId('desk-screen')).toBeVisible({ timeout: 30_000 });
  await expectNoSeriousViolations(page, 'desk as Office');

  await page.getByTestId('user-menu').locator('summary').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, 'observer');
  await page.goto(`/d/${DOCUMENT_ID}#p27`);
  await expect(liveSection(page, 'output-1-1')).toBeVisible({ timeout: 30_000 });
  await expectNoSeriousViolations(page, 'document as observer', '[data-section-id="output-1-1"]');
});
