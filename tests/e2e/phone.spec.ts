import path from 'node:path';
import { SCREENSHOTS, expect, expectLandedBelowHeader, settle, signIn, test } from './fixtures.js';

/** Issue 12, item 6: a phone at 390×844 — the outline a drawer, a one-line header once scrolling, numbers on one line. */
test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test.setTimeout(120_000);

test('the outline is a drawer behind a button, the header collapses to one line, paragraph numbers do not wrap', async ({
  page,
}) => {
  await signIn(page, 'gov-fr');
  await page.goto('/d/gb-346-pfa-1');
  await expect(page.getByTestId('document-symbol')).toHaveText('GB.346/PFA/1', { timeout: 30_000 });

  // The 60-entry outline no longer sits above the text: behind its button.
  const sidebar = page.getByTestId('doc-sidebar');
  const toggle = page.getByTestId('outline-toggle');
  await expect(sidebar).toBeHidden();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  const firstText = page.locator('[id="p1"]').first();
  await expect(firstText).toBeInViewport();

  await toggle.click();
  await expect(sidebar).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator('#doc-sidebar [data-outline-link]:focus')).toHaveCount(1);
  await settle(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'phone-outline-drawer.png') });
  await page.keyboard.press('Escape');
  await expect(sidebar).toBeHidden();
  await expect(toggle).toBeFocused();

  await toggle.click();
  await page.getByTestId('outline-output-5-2').click();
  await expect(sidebar).toBeHidden();
  await expect(page).toHaveURL(/#section-output-5-2$/);

  // Scrolled into the text: the header is a single line, and the target is still just below it.
  const header = page.locator('.app-header');
  await expect(header).toHaveAttribute('data-compact', 'true');
  await expect(page.locator('.app-header__bar')).toBeHidden();
  await expect.poll(async () => (await header.boundingBox())?.height ?? 999).toBeLessThan(64);
  // The one line still says which document this is: the whole symbol, not "G…" ("Live" is its dot, and
  // still in the status's text for screen readers).
  const symbol = page.getByTestId('document-symbol');
  expect(await symbol.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
  await expect(page.getByTestId('connection-status')).toHaveText(/^Live/);
  // It collapsed while the jump scrolled, and the sections at the top unloaded in the same frame: the
  // target still ends just below the one-line header (not where the tall header had left it).
  await expectLandedBelowHeader(page, '#section-output-5-2');
  await expect(page.getByTestId('outline-output-5-2')).toHaveAttribute('aria-current', 'location');

  // Three-digit paragraph numbers stay on one line, and nothing scrolls sideways.
  await page.goto('/d/gb-346-pfa-1#p120');
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
  await expect.poll(async () => (await measure()).wrap).toBe('nowrap');
  const number = await measure();
  expect(number.height).toBeLessThan(number.line * 1.5);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await settle(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'phone-text.png') });

  // Back at the top, the full header returns.
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(header).toHaveAttribute('data-compact', 'false');
});
