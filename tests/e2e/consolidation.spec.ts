import path from 'node:path';
import type { Page } from '@playwright/test';
import { SCREENSHOTS, editorParagraph, expect, openAs, panel, selectWords, settle, test } from './fixtures.js';

const PARAGRAPH = 27;
const SECTION = 'output-1-1';
const EMPLOYERS_COLOUR = 'rgb(138, 75, 0)';

/** Drafts an amendment for the user's group from the review panel, then tables it; returns its reference. */
async function draftAndTable(
  page: Page,
  fill: { op: 'Replace words' | 'Insert words'; find?: string; text: string; rationale: string },
  group: string,
): Promise<string> {
  const drafts = panel(page).getByTestId('drafts');
  await drafts.getByRole('button', { name: 'Draft for my group' }).click();
  const form = drafts.getByTestId('draft-form');
  await form.getByLabel(fill.op).check();
  if (fill.find) await form.getByLabel(/^(Words of the text|Insert after these words)/).fill(fill.find);
  await form.getByLabel(/^(Replace them by|Words to insert)/).fill(fill.text);
  await form.getByLabel('Rationale').fill(fill.rationale);
  await form.getByRole('button', { name: 'Save the draft' }).click();
  const draft = drafts.getByTestId('draft-list').locator('[data-status="draft"]').first();
  await expect(draft.getByTestId('draft-label')).toHaveText(`Draft — visible to the ${group}’ group and the Office`);
  // A draft has no A-n reference yet: it takes one when tabled.
  const id = await draft.getAttribute('data-amendment-id');
  await draft.getByRole('button', { name: 'Table' }).click();
  const tabled = panel(page).locator(`[data-amendment-id="${id}"][data-status="proposed"]`).first();
  await expect(tabled.getByTestId('amendment-status')).toHaveText('Proposed');
  const ref = ((await tabled.locator('.amendment__ref button').textContent()) ?? '').split(' ')[0] ?? '';
  expect(ref).toMatch(/^A-\d+$/);
  return ref;
}

test.describe('consolidation', () => {
  test('a round, rival amendments, a co-sponsor, the desk, a closed round, a comparison and following the Office', async ({
    browser,
    concord,
  }) => {
    test.setTimeout(120_000);
    const office = await openAs(browser, concord.url, 'office', `#p${PARAGRAPH}`);
    const workers = await openAs(browser, concord.url, 'workers', `#p${PARAGRAPH}`);
    const employers = await openAs(browser, concord.url, 'employers', `#p${PARAGRAPH}`);
    const france = await openAs(browser, concord.url, 'gov-fr', `#p${PARAGRAPH}`);
    const observer = await openAs(browser, concord.url, 'observer');

    // 0. The Office keeps the text as circulated: a named version.
    await office.page.getByTestId('nav-versions').click();
    await office.page.getByLabel('Take a version now, named').fill('Draft as circulated');
    await office.page.getByRole('button', { name: 'Take the version' }).click();
    await expect(office.page.getByTestId('versions-table')).toContainText('Draft as circulated');
    await office.page.getByTestId('nav-text').click();

    // 1. The Office opens a round: 48 h for amendments, 24 h more for sub-amendments (the defaults).
    await office.page.getByTestId('round-status').locator('summary').click();
    await office.page.getByRole('button', { name: 'Open a round…' }).click();
    const dialog = office.page.getByTestId('open-round-dialog');
    await expect(dialog.getByLabel('Deadline for amendments')).not.toHaveValue('');
    await dialog.getByRole('button', { name: 'Open the round' }).click();
    await expect(dialog).toBeHidden();
    for (const { page } of [office, workers, employers, france, observer]) {
      await expect(page.getByTestId('round-countdown')).toHaveText('Amendments close in 1 d 23 h');
    }

    // 2. Two groups draft rival amendments to paragraph 27 among themselves, then table them.
    for (const { page } of [workers, employers, france]) {
      await expect(page.locator(`[data-section-id="${SECTION}"] [data-editable="true"]`)).toBeVisible();
    }
    await selectWords(workers.page, PARAGRAPH, 'importance fondamentale');
    await panel(workers.page).getByTestId('drafts').getByRole('button', { name: 'Draft for my group' }).click();
    const workersForm = panel(workers.page).getByTestId('draft-form');
    // The form takes the selected words and their paragraph.
    await expect(workersForm.getByLabel('Words of the text')).toHaveValue('importance fondamentale');
    await expect(workersForm.getByLabel('Paragraph')).toHaveValue(String(PARAGRAPH));
    await workersForm.getByRole('button', { name: 'Cancel' }).click();
    await settle(workers.page);
    const workersRef = await draftAndTable(
      workers.page,
      {
        op: 'Replace words',
        find: 'importance fondamentale',
        text: 'importance essentielle',
        rationale: 'Plus juste.',
      },
      'Workers',
    );
    await workers.page.mouse.move(0, 0);
    // Everyone can open the countdown for the exact deadlines.
    await workers.page.getByTestId('round-status').locator('summary').click();
    await expect(workers.page.getByTestId('round-status')).toContainText('Deadline for sub-amendments');
    await workers.page.screenshot({ path: path.join(SCREENSHOTS, 'round-countdown.png') });
    await workers.page.getByTestId('round-status').locator('summary').click();
    const employersRef = await draftAndTable(
      employers.page,
      {
        op: 'Insert words',
        find: 'importance fondamentale',
        text: ' et prioritaire',
        rationale: 'Souligner la priorité.',
      },
      'Employers',
    );
    await expect(editorParagraph(france.page, PARAGRAPH).locator('ins.suggestion.group-employers')).toHaveText(
      ' et prioritaire',
    );

    // 3. A government co-sponsors the Workers' amendment.
    const franceCard = panel(france.page).getByTestId(`amendment-${workersRef}`);
    await franceCard.getByRole('button', { name: 'Co-sponsor' }).click();
    await expect(franceCard.getByTestId('amendment-cosponsors')).toHaveText('Co-sponsored by France');
    await expect(
      panel(workers.page).getByTestId(`amendment-${workersRef}`).getByTestId('amendment-cosponsors'),
    ).toHaveText('Co-sponsored by France');

    // 4. At the desk, the Office sees both side by side, rivals marked; accepts one with its own words, rejects the other.
    await office.page.getByTestId('nav-desk').click();
    const desk = office.page.getByTestId(`desk-paragraph-${PARAGRAPH}`);
    const workersDesk = desk.getByTestId(`desk-${workersRef}`);
    const employersDesk = desk.getByTestId(`desk-${employersRef}`);
    await expect(workersDesk.getByTestId('desk-cosponsors')).toHaveText('Co-sponsored by France');
    await expect(employersDesk.getByTestId('desk-rival')).toHaveText(`alternative to ${workersRef}`);
    await expect(employersDesk.getByTestId('desk-owner')).toHaveCSS('background-color', EMPLOYERS_COLOUR);
    await employersDesk.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await settle(office.page);
    await office.page.screenshot({ path: path.join(SCREENSHOTS, 'desk.png') });

    await employersDesk.getByRole('button', { name: `Accept with modifications ${employersRef}` }).click();
    const words = employersDesk.getByLabel(`The Office’s words for ${employersRef}`);
    await expect(words).toBeFocused();
    // No invisible space in the field: the proposal's leading space shows in the sentence around it.
    await expect(words).toHaveValue('et prioritaire');
    await words.fill('et primordiale');
    await expect(employersDesk.getByTestId('modify-preview')).toContainText(
      'importance fondamentale et primordiale pour',
    );
    await employersDesk.getByRole('button', { name: 'Accept with these words' }).click();
    await expect(office.page.getByTestId('desk-announcer')).toContainText(
      `${employersRef} is accepted with the Office’s words`,
    );
    // Focus moves on to the next pending amendment.
    await expect(workersDesk.locator('h3')).toBeFocused();
    await workersDesk.getByRole('button', { name: `Reject ${workersRef}` }).click();
    await expect(office.page.getByTestId('desk-announcer')).toContainText(`${workersRef} is rejected`);
    await expect(office.page.getByTestId('desk-recent')).toContainText(
      `Claire Martin accepted ${employersRef} (Employers) with modifications in paragraph ${PARAGRAPH}`,
    );
    await expect(desk).toHaveCount(0);
    await expect(office.page.getByTestId('revised-preview').locator(`[data-number="${PARAGRAPH}"]`)).toContainText(
      'revêtent une importance fondamentale et primordiale pour l’OIT',
    );
    // Everyone's panel has the outcome; the record keeps both texts.
    const outcome = panel(employers.page).getByTestId(`amendment-${employersRef}`);
    await expect(outcome.getByTestId('amendment-status')).toHaveText('Accepted');
    await expect(outcome.locator('.amendment__modified')).toContainText('et primordiale');
    await expect(outcome.locator('.amendment__diff ins')).toContainText('et prioritaire');

    // 5. The Office closes the round, naming its version; a new amendment is now refused, and says why.
    await office.page.getByTestId('round-status').locator('summary').click();
    await office.page.getByRole('button', { name: 'Close the round…' }).click();
    const closing = office.page.getByTestId('close-round-dialog');
    await closing.getByLabel('Name of the version').fill('Revised draft — round 1');
    await closing.getByRole('button', { name: 'Close the round' }).click();
    await expect(office.page.getByTestId('round-countdown')).toHaveText('Round 1 closed');
    await expect(workers.page.getByTestId('round-countdown')).toHaveText('Round 1 closed');
    await expect(panel(workers.page).getByTestId('deadline-note')).toContainText('Round 1 is closed');
    const late = panel(workers.page).getByTestId('drafts');
    await late.getByRole('button', { name: 'Draft for my group' }).click();
    await late.getByTestId('draft-form').getByLabel('Words of the text').fill('La ratification est destinée');
    await late.getByTestId('draft-form').getByLabel('Replace them by').fill('La ratification vise');
    await late.getByRole('button', { name: 'Save the draft' }).click();
    // A draft stays possible (it is the group's own); tabling it is no longer offered, in the server's words.
    const lateDraft = late.getByTestId('draft-list').locator('[data-status="draft"]');
    await expect(lateDraft.getByRole('button', { name: 'Table' })).toBeDisabled();
    await expect(lateDraft.getByTestId('amendment-why-table')).toContainText(/round|deadline/i);
    await expect(lateDraft.getByRole('button', { name: 'Table' })).toHaveAccessibleDescription(/round|deadline/i);

    // 6. A delegate compares the two versions: paragraph 27's change, and the amendment that made it.
    await france.page.getByTestId('nav-versions').click();
    await france.page.getByLabel('From').selectOption({ label: 'Draft as circulated' });
    await france.page.getByLabel('To').selectOption({ label: 'Revised draft — round 1' });
    await france.page.getByRole('button', { name: 'Compare', exact: true }).click();
    const compared = france.page.getByTestId(`compare-${PARAGRAPH}`);
    await expect(compared.locator('ins.cmp-ins')).toHaveText('inserted: et primordiale');
    await expect(compared.getByTestId('compare-ref')).toContainText(employersRef);
    await expect(compared.getByTestId('compare-ref').first()).toHaveCSS('background-color', EMPLOYERS_COLOUR);
    await compared.scrollIntoViewIfNeeded();
    await settle(france.page);
    await france.page.screenshot({ path: path.join(SCREENSHOTS, 'compare.png') });

    // 7. The Office presents; an observer follows it to paragraph 27 and sees its selection.
    await office.page.getByTestId('nav-text').click();
    await office.page.getByTestId('present-toggle').click();
    await expect(office.page.getByTestId('present-toggle')).toHaveAttribute('aria-pressed', 'true');
    await expect(observer.page.getByTestId('presenter-status')).toHaveText('Claire Martin is presenting');
    await observer.page.getByRole('button', { name: 'Follow' }).click();
    await office.page.evaluate((n) => document.getElementById(`p${n}`)?.scrollIntoView({ block: 'start' }), PARAGRAPH);
    await expect(office.page.locator(`[data-section-id="${SECTION}"] [data-live="true"]`)).toBeVisible();
    await selectWords(office.page, PARAGRAPH, 'importance fondamentale et primordiale');
    await expect(observer.page.getByTestId('review-highlight')).toHaveText('importance fondamentale et primordiale');
    await expect(editorParagraph(observer.page, PARAGRAPH)).toBeInViewport();
    await settle(observer.page);
    // Following scrolls smoothly: the screenshot waits until the page is at rest.
    await observer.page.waitForFunction(
      () =>
        new Promise<boolean>((resolve) => {
          const y = window.scrollY;
          setTimeout(() => resolve(window.scrollY === y), 250);
        }),
    );
    await observer.page.screenshot({ path: path.join(SCREENSHOTS, 'follow.png') });
    await observer.page.keyboard.press('Escape');
    await expect(observer.page.getByRole('button', { name: 'Follow' })).toBeVisible();
    await expect(observer.page.getByTestId('review-highlight')).toHaveCount(0);

    for (const { context } of [office, workers, employers, france, observer]) await context.close();
  });
});
