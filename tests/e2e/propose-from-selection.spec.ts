import type { Browser, Page } from '@playwright/test';
import { DOCUMENT_ID, editorParagraph, panel, selectWords, signIn } from './fixtures.js';
import { allowConsole, expect, quietTest as test } from './quietConsole.js';

/**
 * Issue 12, items 1 and 2: selected words offer **Propose an amendment** beside **Comment** (the bubble,
 * or Ctrl+Alt+P), which opens the amendment form on those words; words already under another group's
 * amendment are refused by form with a coded `overlaps`, worded in the UI language, with Co-sponsor and
 * Support one click away — at desktop size.
 */
const PARAGRAPH = 27;
const SECTION = 'output-1-1';

async function open(browser: Browser, url: string, username: string, locale = 'en-GB'): Promise<Page> {
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1440, height: 900 }, locale });
  const page = await context.newPage();
  await signIn(page, username);
  await page.goto(`/d/${DOCUMENT_ID}#p${PARAGRAPH}`);
  await expect(page.locator(`[data-section-id="${SECTION}"] [data-editable="true"]`)).toBeVisible({ timeout: 30_000 });
  return page;
}

interface Listed {
  id: string;
  ref: string;
  ownerKey: string;
  authorName: string;
  type: string;
  originalText: string;
  proposedText: string;
  paragraphs: number[];
  status: string;
  cosponsors: { ownerKey: string }[];
}

async function amendments(page: Page): Promise<Listed[]> {
  return (await (await page.request.get(`/api/documents/${DOCUMENT_ID}/amendments`)).json()) as Listed[];
}

test('the selection bubble proposes an amendment of the selected words, recorded as the delegate’s group’s', async ({
  browser,
  concord,
}) => {
  test.setTimeout(90_000);
  const workers = await open(browser, concord.url, 'workers');

  await selectWords(workers, PARAGRAPH, 'consolider les engagements');
  const bubble = workers.getByTestId('selection-bubble');
  await expect(bubble.getByRole('button', { name: 'Comment' })).toBeVisible();
  await bubble.getByRole('button', { name: 'Propose an amendment' }).click();

  // The form, in the panel, holds the selected words and their paragraph; the new words have the focus.
  const form = panel(workers).getByTestId('propose-form');
  await expect(form.getByLabel('Words of the text')).toHaveValue('consolider les engagements');
  await expect(form.getByLabel('Paragraph')).toHaveValue(String(PARAGRAPH));
  const words = form.getByLabel('Replace them by');
  await expect(words).toBeFocused();
  await words.fill('renforcer les engagements');
  await form.getByLabel('Rationale').fill('Plus ambitieux.');
  await form.getByRole('button', { name: 'Table the amendment' }).click();
  await expect(form).toHaveCount(0);

  // Recorded as the Workers' amendment, with the selected words, by this delegate, and in the text.
  await expect.poll(async () => (await amendments(workers)).length).toBe(1);
  const [made] = await amendments(workers);
  expect(made).toMatchObject({
    ownerKey: 'workers',
    authorName: 'Kwame Mensah',
    type: 'replace',
    originalText: 'consolider les engagements',
    proposedText: 'renforcer les engagements',
    paragraphs: [PARAGRAPH],
    status: 'proposed',
  });
  await expect(panel(workers).getByTestId('review-announcer')).toHaveText(
    `${made?.ref} is tabled: it is now a suggestion in the text.`,
  );
  await expect(editorParagraph(workers, PARAGRAPH).locator('del.suggestion.group-workers')).toHaveText(
    'consolider les engagements',
  );
  await expect(editorParagraph(workers, PARAGRAPH).locator('ins.suggestion.group-workers')).toHaveText(
    'renforcer les engagements',
  );
  await expect(panel(workers).locator(`[data-amendment-id="${made?.id}"]`)).toBeVisible();
  await workers.context().close();
});

test('by form, words already under another group’s amendment: the refusal in French, and Co-sponsor works', async ({
  browser,
  concord,
}) => {
  test.setTimeout(90_000);
  const employers = await open(browser, concord.url, 'employers');
  const res = await employers.request.post(`/api/documents/${DOCUMENT_ID}/amendments`, {
    data: { sectionId: SECTION, paragraph: PARAGRAPH, op: 'delete', find: 'une importance fondamentale' },
  });
  expect(res.status(), await res.text()).toBe(201);
  const striking = (await res.json()) as { id: string; ref: string };

  const workers = await open(browser, concord.url, 'workers', 'fr-FR');
  // The browser reports the refused request itself; the page explains it.
  allowConsole(workers, /status of 409/);
  await expect(editorParagraph(workers, PARAGRAPH).locator('del.suggestion.group-employers')).toHaveText(
    'une importance fondamentale',
  );

  // From the keyboard: select, Ctrl+Alt+P, type, Enter.
  await selectWords(workers, PARAGRAPH, 'importance fondamentale');
  await workers.keyboard.press('Control+Alt+p');
  // The panel by its test id: its name is French here.
  const form = workers.getByTestId('review-panel').getByTestId('propose-form');
  await expect(form.getByLabel('Les remplacer par')).toBeFocused();
  await expect(form.getByLabel('Mots du texte')).toHaveValue('importance fondamentale');
  await workers.keyboard.type('importance capitale');
  await workers.keyboard.press('Enter');

  await expect(form.getByTestId('form-error')).toHaveText(
    `Non effectué : Ces mots font déjà l’objet de l’amendement ${striking.ref} (Employeurs). Coparrainez-le ou appuyez-le plutôt que d’amender deux fois les mêmes mots.`,
  );
  await form.getByRole('button', { name: `Coparrainer ${striking.ref}` }).click();
  await expect(form.getByTestId('refusal-outcome')).toHaveText(`Votre groupe coparraine désormais ${striking.ref}.`);
  await expect(form.getByRole('button', { name: `Coparrainer ${striking.ref}` })).toHaveCount(0);
  await expect(form.getByRole('button', { name: `Appuyer ${striking.ref}` })).toBeVisible();

  const list = await amendments(workers);
  expect(list.find((a) => a.id === striking.id)?.cosponsors.map((c) => c.ownerKey)).toEqual(['workers']);
  // Nothing of the Workers' was recorded.
  expect(list.filter((a) => a.ownerKey === 'workers')).toEqual([]);
  for (const page of [employers, workers]) await page.context().close();
});
