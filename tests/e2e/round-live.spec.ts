import type { Browser, Page } from '@playwright/test';
import { DOCUMENT_ID, selectWords, signIn } from './fixtures.js';
import { expect, quietTest as test } from './quietConsole.js';

/**
 * Issue 12, item 2: the round's `amendmentsOpen`, as the server says it, drives a delegate's read-only
 * text live — the Office closing the round, or opening one whose deadline has passed, makes an open
 * editor read-only with the reason in a bar that stays; reopening makes it editable again; no reload.
 */
const PARAGRAPH = 27;
const SECTION = 'output-1-1';
const HOUR = 3_600_000;

async function open(browser: Browser, url: string, username: string, editable = true): Promise<Page> {
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  await signIn(page, username);
  await page.goto(`/d/${DOCUMENT_ID}#p${PARAGRAPH}`);
  await expect(page.locator(`[data-section-id="${SECTION}"] [data-editable="${editable}"]`)).toBeVisible({
    timeout: 30_000,
  });
  return page;
}

test('the Office closing or reopening a round switches a delegate’s open editor, without a reload', async ({
  browser,
  concord,
}) => {
  test.setTimeout(120_000);
  const office = await open(browser, concord.url, 'office');
  const workers = await open(browser, concord.url, 'workers');
  // Survives only as long as the page is not reloaded.
  await workers.evaluate(() => {
    (window as unknown as { sameTab: boolean }).sameTab = true;
  });
  const text = workers.locator(`[data-section-id="${SECTION}"] .ProseMirror`);
  const bar = workers.getByTestId('amendments-closed-bar');
  const bubble = workers.getByTestId('selection-bubble');

  const openRound = async (amendmentDeadline: number) => {
    const res = await office.request.post(`/api/documents/${DOCUMENT_ID}/rounds`, {
      data: { amendmentDeadline, subAmendmentDeadline: amendmentDeadline + HOUR },
    });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as { id: string; number: number };
  };
  const closeRound = async (id: string) => {
    const res = await office.request.post(`/api/rounds/${id}/close`, { data: {} });
    expect(res.status(), await res.text()).toBe(200);
  };

  // A round open for amendments: editable, and the bubble offers to propose one.
  const first = await openRound(Date.now() + 2 * HOUR);
  await expect(workers.getByTestId('round-countdown')).toContainText('Amendments close in');
  await expect(text).toHaveAttribute('contenteditable', 'true');
  await expect(bar).toHaveCount(0);
  await selectWords(workers, PARAGRAPH, 'ratification des normes');
  await expect(bubble.getByRole('button', { name: 'Propose an amendment' })).toBeVisible();

  // The Office closes it: read-only at once, the reason in the bar, which stays while scrolling.
  await closeRound(first.id);
  await expect(text).toHaveAttribute('contenteditable', 'false');
  await expect(bar).toHaveText(
    `Round ${first.number} is closed: the text is read-only until the Office opens another round. Comments remain open.`,
  );
  await workers.evaluate(() => window.scrollBy(0, 2400));
  await expect(bar).toBeInViewport();
  // Selected words may still be commented, no longer amended.
  await selectWords(workers, PARAGRAPH, 'ratification des normes');
  await expect(bubble.getByRole('button', { name: 'Comment' })).toBeVisible();
  await expect(bubble.getByRole('button', { name: 'Propose an amendment' })).toHaveCount(0);

  // A round whose amendment deadline has already passed: still read-only, now for the deadline.
  const second = await openRound(Date.now() - 60_000);
  await expect(bar).toContainText('Amendments closed on');
  await expect(text).toHaveAttribute('contenteditable', 'false');
  await closeRound(second.id);
  await expect(bar).toContainText(`Round ${second.number} is closed`);
  // A delegate who opens the text while no round takes amendments…
  const france = await open(browser, concord.url, 'gov-fr', false);
  const franceText = france.locator(`[data-section-id="${SECTION}"] .ProseMirror`);
  await expect(france.getByTestId('amendments-closed-bar')).toContainText(`Round ${second.number} is closed`);
  await expect(franceText).toHaveAttribute('contenteditable', 'false');
  // …may still draft for the group (a draft is not bound by the deadlines, only tabling it is): the panel
  // offers it though the page opened with the round closed, and the server takes the draft.
  const review = france.getByTestId('review-toggle');
  if ((await review.getAttribute('aria-expanded')) !== 'true') await review.click();
  const drafts = france.getByTestId('review-panel').getByTestId('drafts');
  await drafts.getByRole('button', { name: 'Draft for my group' }).click();
  await drafts.getByTestId('draft-form').getByLabel('Words of the text').fill('la promotion, la ratification');
  await drafts.getByTestId('draft-form').getByLabel('Replace them by').fill('la promotion, la ratification universelle');
  await drafts.getByRole('button', { name: 'Save the draft' }).click();
  await expect(drafts.getByTestId('draft-list').locator('[data-status="draft"]')).toHaveCount(1);
  // The Office's own work goes on after the deadlines: its bubble still proposes an amendment.
  await selectWords(office, PARAGRAPH, 'ratification des normes');
  await expect(
    office.getByTestId('selection-bubble').getByRole('button', { name: 'Propose an amendment' }),
  ).toBeVisible();

  // Reopened for amendments: editable again, the bar gone, the bubble offers to propose again.
  await openRound(Date.now() + 2 * HOUR);
  await expect(text).toHaveAttribute('contenteditable', 'true');
  await expect(bar).toHaveCount(0);
  await selectWords(workers, PARAGRAPH, 'ratification des normes');
  await expect(bubble.getByRole('button', { name: 'Propose an amendment' })).toBeVisible();
  expect(await workers.evaluate(() => (window as unknown as { sameTab?: boolean }).sameTab)).toBe(true);
  // …may amend it too once it is reopened, without a reload.
  await expect(franceText).toHaveAttribute('contenteditable', 'true');
  await expect(france.getByTestId('amendments-closed-bar')).toHaveCount(0);
  await selectWords(france, PARAGRAPH, 'ratification des normes');
  await expect(
    france.getByTestId('selection-bubble').getByRole('button', { name: 'Propose an amendment' }),
  ).toBeVisible();
  for (const page of [office, workers, france]) await page.context().close();
});
