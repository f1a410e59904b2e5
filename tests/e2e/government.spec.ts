import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { DOCUMENT_ID, SCREENSHOTS, expect, panel, settle, signIn, test } from './fixtures.js';

/**
 * Issue 13's "Done when", in the browser, with the demo's delegates: South Africa (gov-za) drafts for the
 * Africa group, kept to the group; Nigeria (gov-ng) edits that draft and tables it; France (gov-fr)
 * co-sponsors it; France's own amendment waits for a seconder until Brazil (gov-br) seconds it; a note for
 * "my delegation" stays with South Africa's delegates (gov-za-2 reads it, gov-ng does not).
 */
const PARAGRAPH = 27;
const SECTION = 'output-1-1';

async function openAs(browser: Browser, baseURL: string, username: string) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  const page = await context.newPage();
  await signIn(page, username);
  await page.goto(`/d/${DOCUMENT_ID}#p${PARAGRAPH}`);
  await expect(page.getByTestId('document-symbol')).toHaveText('GB.346/PFA/1', { timeout: 30_000 });
  await expect(panel(page).getByTestId('drafts')).toBeVisible({ timeout: 30_000 });
  return { context, page };
}

const shot = async (page: Page, name: string) => {
  await settle(page);
  await page.screenshot({ path: path.join(SCREENSHOTS, name) });
};

test('the Africa group drafts, Nigeria tables, France co-sponsors; Brazil seconds France; a delegation note stays home', async ({
  browser,
  concord,
}) => {
  test.setTimeout(180_000);

  // 1. South Africa drafts for the Africa group, readable by the group (and the Office) only.
  const za = await openAs(browser, concord.url, 'gov-za');
  const drafts = panel(za.page).getByTestId('drafts');
  await drafts.getByRole('button', { name: 'Draft for my group' }).click();
  const form = drafts.getByTestId('draft-form');
  await form.getByLabel('Replace words').check();
  await form.getByLabel('Words of the text').fill('décision souveraine');
  await form.getByLabel('Replace them by').fill('décision souveraine et concertée');
  await form.getByLabel('Rationale').fill('Position commune du groupe de l’Afrique.');
  await form.getByTestId('form-on-behalf-of').selectOption({ label: 'Africa group' });
  await form.getByTestId('form-circle').selectOption({ label: 'Africa group and the Office' });
  await shot(za.page, 'government-draft-form.png');
  await form.getByRole('button', { name: 'Save the draft' }).click();
  const zaDraft = drafts.getByTestId('draft-list').locator('[data-status="draft"]').first();
  await expect(zaDraft.getByTestId('draft-label')).toHaveText('Draft — visible to Africa group and the Office');
  // The region's chip: a tint of the Government colour with its short name.
  await expect(zaDraft.getByTestId('amendment-owner')).toHaveText('AFRAfrica group');
  await expect(zaDraft.getByTestId('amendment-owner')).toHaveCSS('background-color', 'rgb(47, 109, 179)');
  const id = (await zaDraft.getAttribute('data-amendment-id')) as string;

  // France, outside the region, does not even see it.
  const fr = await openAs(browser, concord.url, 'gov-fr');
  await expect(panel(fr.page).locator(`[data-amendment-id="${id}"]`)).toHaveCount(0);

  // 2. Nigeria sees the region's draft, edits it and tables it.
  const ng = await openAs(browser, concord.url, 'gov-ng');
  const ngDraft = panel(ng.page).locator(`[data-amendment-id="${id}"][data-status="draft"]`);
  await expect(ngDraft).toHaveCount(1, { timeout: 15_000 });
  await ngDraft.getByRole('button', { name: 'Edit the draft' }).click();
  const edit = ngDraft.getByTestId('edit-draft-form');
  await edit.getByLabel('Replace them by').fill('décision souveraine, concertée et partagée');
  await edit.getByRole('button', { name: 'Save the changes' }).click();
  await expect(ngDraft).toContainText('concertée et partagée');
  await shot(ng.page, 'government-nigeria-edits.png');
  await ngDraft.getByRole('button', { name: 'Table' }).click();
  const tabled = panel(ng.page).locator(`[data-amendment-id="${id}"][data-status="proposed"]`).first();
  await expect(tabled.getByTestId('amendment-status')).toHaveText('Proposed');
  await expect(tabled.getByTestId('amendment-owner')).toHaveText('AFRAfrica group');
  // In the text, the region's words carry its tint.
  await expect(ng.page.locator(`.ProseMirror ins.suggestion[data-amendment="${id}"]`).first()).toHaveClass(
    /owner-region/,
  );
  // A regional group's amendment needs no seconder.
  await expect(tabled.getByTestId('amendment-awaiting-seconder')).toHaveCount(0);
  const ref = ((await tabled.locator('.amendment__ref button').textContent()) ?? '').split(' ')[0] ?? '';
  expect(ref).toMatch(/^A-\d+$/);

  // 3. France co-sponsors it, live.
  const frCard = panel(fr.page).getByTestId(`amendment-${ref}`);
  await expect(frCard).toBeVisible({ timeout: 15_000 });
  await frCard.getByRole('button', { name: 'Co-sponsor' }).click();
  await expect(frCard.getByTestId('amendment-cosponsors')).toContainText('France');
  await expect(panel(za.page).getByTestId(`amendment-${ref}`).getByTestId('amendment-cosponsors')).toContainText(
    'France',
  );

  // 4. France's own amendment waits for a seconder until Brazil seconds it.
  const proposed = await fr.page.request.post(`/api/documents/${DOCUMENT_ID}/amendments`, {
    data: {
      sectionId: SECTION,
      paragraph: PARAGRAPH,
      op: 'replace',
      find: 'internationales et locales',
      text: 'internationales, régionales et locales',
      rationale: '',
    },
  });
  expect(proposed.status()).toBe(201);
  const frRef = ((await proposed.json()) as { ref: string }).ref;
  const br = await openAs(browser, concord.url, 'gov-br');
  const brCard = panel(br.page).getByTestId(`amendment-${frRef}`);
  await expect(brCard.getByTestId('amendment-awaiting-seconder')).toHaveText('Awaiting a seconder');
  await expect(
    panel(fr.page).getByTestId(`amendment-${frRef}`).getByTestId('amendment-awaiting-seconder'),
  ).toBeVisible();
  await brCard.getByRole('button', { name: `Second ${frRef}` }).click();
  await expect(brCard.getByTestId('amendment-seconder')).toHaveText(/^Seconded by .+ \(Brazil\)$/);
  await expect(panel(fr.page).getByTestId(`amendment-${frRef}`).getByTestId('amendment-seconder')).toHaveText(
    /^Seconded by .+ \(Brazil\)$/,
  );
  await shot(fr.page, 'government-seconded.png');

  // 5. A note for South Africa's delegation: gov-za-2 reads it, Nigeria does not.
  const za2 = await openAs(browser, concord.url, 'gov-za-2');
  const note = await za.page.request.post(`/api/documents/${DOCUMENT_ID}/threads`, {
    data: {
      sectionId: SECTION,
      paragraph: PARAGRAPH,
      visibility: 'delegation',
      body: 'Consigne pour notre délégation.',
    },
  });
  expect(note.status()).toBe(201);
  const homeNote = panel(za2.page).getByTestId('thread').filter({ hasText: 'Consigne pour notre délégation.' });
  await expect(homeNote).toHaveCount(1, { timeout: 15_000 });
  await homeNote.scrollIntoViewIfNeeded();
  await shot(za2.page, 'government-delegation-note.png');
  // Nigeria reloads (nothing live to wait for): the note is not there, and the API does not list it.
  await ng.page.reload();
  await expect(panel(ng.page).getByTestId('drafts')).toBeVisible({ timeout: 30_000 });
  await expect(panel(ng.page).getByTestId(`amendment-${ref}`)).toBeVisible();
  await expect(panel(ng.page).getByTestId('thread').filter({ hasText: 'Consigne pour notre délégation.' })).toHaveCount(
    0,
  );
  const ngThreads = await ng.page.request.get(`/api/documents/${DOCUMENT_ID}/threads`);
  expect(ngThreads.status()).toBe(200);
  expect(await ngThreads.text()).not.toContain('Consigne pour notre délégation.');

  for (const c of [za, fr, ng, br, za2]) await c.context.close();
});
