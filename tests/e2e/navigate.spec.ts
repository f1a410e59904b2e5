import path from 'node:path';
import { SCREENSHOTS, expect, liveSection, sectionOfParagraph, settle, signIn, test } from './fixtures.js';

test.describe('reading and navigating the document', () => {
  test('opens the seed document with its outline, and connects only the sections near the viewport', async ({
    page,
  }) => {
    await signIn(page, 'gov-fr');
    await page.getByRole('link', { name: 'Open GB.346/PFA/1' }).click();
    await expect(page).toHaveURL(/\/d\/gb-346-pfa-1$/);
    const outline = page.getByRole('navigation', { name: 'Contents' });
    await expect(outline.getByRole('treeitem', { name: /Produit 5\.2/ })).toBeVisible();
    await expect(outline.getByRole('treeitem', { name: /Projet de décision/ })).toBeVisible();
    await expect(outline.getByTestId('outline-output-1-1')).toContainText(/paragraphs 27–29/);

    await expect(liveSection(page, 'part-1')).toBeVisible();
    await expect(page.locator('[data-section-id="part-1"] [data-editable="true"]')).toHaveCount(1);
    // The draft decision is far below: rendered, not connected.
    await expect(page.locator('[data-section-id="decision"]')).toContainText('Projet de décision');
    await expect(page.locator('[data-section-id="decision"] [data-live="false"]')).toHaveCount(1);
    const connected = await page.locator('[data-live="true"]').count();
    const total = await page.locator('[data-section-id]').count();
    expect(total).toBeGreaterThan(50);
    expect(connected).toBeLessThan(total / 2);

    // Faithful rendering: numbers in the margin, lists, footnotes, the box and the figure.
    await expect(page.locator('[id="p1"]').first()).toHaveAttribute('data-number', '1');
    expect(await page.locator('.doc-text .footnote-ref').count()).toBeGreaterThan(0);
    expect(await page.locator('.doc-text ul li').count()).toBeGreaterThan(10);
    expect(await page.locator('.doc-text .box').count()).toBeGreaterThan(0);
    expect(await page.locator('.doc-text .figure').count()).toBeGreaterThan(0);

    // Keyboard: arrows move through the outline, Enter follows.
    await outline.getByRole('treeitem').first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(outline.getByTestId('outline-part-3')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('#section-part-3')).toBeInViewport();
    await expect(page.locator('#section-part-3')).toBeFocused();
  });

  test('jumps to a paragraph by number and finds words and outputs', async ({ page }) => {
    await signIn(page, 'gov-za');
    await page.goto('/d/gb-346-pfa-1');
    const search = page.getByTestId('search-input');
    await search.fill('117');
    await search.press('Enter');
    const p117 = page.locator('[id="p117"]').first();
    await expect(p117).toBeInViewport();
    await expect(page).toHaveURL(/#p117$/);
    const section = await sectionOfParagraph(page, 117);
    await expect(liveSection(page, section)).toBeVisible();
    await expect(page.locator(`[data-section-id="${section}"] .ProseMirror [id="p117"]`)).toBeInViewport();

    await search.fill('Produit 5.2');
    await page.getByRole('button', { name: /Section Produit 5\.2/ }).click();
    await expect(page.locator('#section-output-5-2')).toBeInViewport();
    await expect(page.getByTestId('outline-output-5-2')).toHaveAttribute('aria-current', 'location');

    await search.fill('salaires minima');
    await expect(page.getByTestId('search-status')).toContainText(/results/);
    const first = page.locator('.search__result').first();
    const label = (await first.locator('.search__kind').textContent()) ?? '';
    await first.click();
    const n = /Paragraph (\d+)/.exec(label)?.[1];
    if (n) await expect(page.locator(`[id="p${n}"]`).first()).toBeInViewport();

    await search.fill('9999');
    await search.press('Enter');
    await expect(page.getByTestId('search-status')).toHaveText('There is no paragraph 9999 in this document.');
  });

  test('a deep link opens at its paragraph', async ({ page }) => {
    await signIn(page, 'gov-fr');
    await page.goto('/d/gb-346-pfa-1#p27');
    const p27 = page.locator('[id="p27"]').first();
    await expect(p27).toBeInViewport();
    await expect(page.getByTestId('outline-output-1-1')).toHaveAttribute('aria-current', 'location');
    // Still there once its section has connected and its editor replaced the static text.
    await expect(liveSection(page, 'output-1-1')).toBeVisible();
    await expect(page.locator('[data-section-id="output-1-1"] .ProseMirror [id="p27"]')).toBeInViewport();
    const top = await page
      .locator('[id="p27"]')
      .first()
      .evaluate((el) => el.getBoundingClientRect().top);
    expect(top).toBeGreaterThan(40);
    expect(top).toBeLessThan(200);
    await settle(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'outline-and-text.png') });
  });

  test('stays usable at 200% zoom on a 13-inch laptop', async ({ browser, concord }) => {
    // 200% zoom of a 1280×800 window: a 640×400 CSS viewport at twice the pixel density.
    const context = await browser.newContext({
      baseURL: concord.url,
      viewport: { width: 640, height: 400 },
      deviceScaleFactor: 2,
    });
    const page = await context.newPage();
    await signIn(page, 'gov-fr');
    await page.goto('/d/gb-346-pfa-1#p27');
    await expect(page.locator('[id="p27"]').first()).toBeInViewport();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await settle(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'zoom-200.png') });
    await context.close();
  });
});
