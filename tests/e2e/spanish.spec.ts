import path from 'node:path';
import { DOCUMENT_ID, SCREENSHOTS, expect, openAs, settle, test } from './fixtures.js';

const PARAGRAPH = 27;
const SECTION = 'output-1-1';

/**
 * The third official language of the ILO: the interface switches to Spanish (EN / FR / ES), the main
 * screens speak it, the French document keeps `lang="fr"` on its text, and a refusal the server gives
 * after the deadline reads in Spanish (worded from its code, not the server's English sentence).
 */
test.describe('Spanish interface', () => {
  test('the document, review panel, desk and versions in Spanish; the text keeps its own language', async ({
    browser,
    concord,
  }) => {
    // Two sessions, a reload and three screens: generous on a loaded machine.
    test.setTimeout(120_000);
    const workers = await openAs(browser, concord.url, 'workers', `#p${PARAGRAPH}`);
    const { page } = workers;
    await expect(page.getByTestId('language-en')).toHaveAttribute('aria-pressed', 'true');
    await page.getByTestId('language-es').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page.getByTestId('language-es')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('heading', { name: 'Índice' })).toBeVisible();
    await expect(page.getByLabel('Buscar un párrafo o palabras')).toBeVisible();
    await expect(page.getByTestId('connection-status')).toContainText('En directo');
    await expect(page.getByRole('complementary', { name: 'Enmiendas y comentarios' })).toBeVisible();
    // The seed document is French: its text says so, whatever the interface speaks.
    await expect(page.locator(`[data-section-id="${SECTION}"] .doc-text`).first()).toHaveAttribute('lang', 'fr');
    await settle(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'spanish-document.png') });

    // The choice is remembered across a reload.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Índice' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');

    await page.goto(`/d/${DOCUMENT_ID}/versions`);
    await expect(page.getByRole('heading', { name: 'Versiones' }).first()).toBeVisible();

    const office = await openAs(browser, concord.url, 'office');
    await office.page.getByTestId('language-es').click();
    await office.page.goto(`/d/${DOCUMENT_ID}/desk`);
    await expect(office.page.getByTestId('desk-screen')).toContainText('Mesa de consolidación');
    await expect(office.page.getByTestId('desk-screen')).not.toContainText('Consolidation desk');
    for (const s of [workers, office]) await s.context.close();
  });

  test('after the deadline, the closed bar and the panel read in Spanish; the server’s refusal carries its code', async ({
    browser,
    concord,
  }) => {
    test.setTimeout(60_000);
    const office = await openAs(browser, concord.url, 'office');
    const workers = await openAs(browser, concord.url, 'workers', `#p${PARAGRAPH}`);
    await workers.page.getByTestId('language-es').click();

    // A draft of the Workers' group, saved before the deadline: tabling it afterwards is refused.
    const drafted = await workers.page.request.post(`/api/documents/${DOCUMENT_ID}/amendments`, {
      data: {
        sectionId: SECTION,
        draft: true,
        paragraph: PARAGRAPH,
        op: 'insert',
        find: 'revêtent une importance fondamentale',
        text: ' et durable',
      },
    });
    expect(drafted.status(), await drafted.text()).toBe(201);
    const draft = (await drafted.json()) as { id: string; ref: string };

    const now = Date.now();
    const opened = await office.page.request.post(`/api/documents/${DOCUMENT_ID}/rounds`, {
      data: { amendmentDeadline: now + 2_000, subAmendmentDeadline: now + 60_000 },
    });
    expect(opened.status(), await opened.text()).toBe(201);

    const bar = workers.page.getByTestId('amendments-closed-bar');
    await expect(bar).toContainText('Las enmiendas se cerraron el', { timeout: 10_000 });

    // The server refuses in English words and a code; the API answer carries both.
    const refused = await workers.page.request.post(`/api/documents/${DOCUMENT_ID}/amendments/${draft.id}/table`, {
      data: {},
    });
    expect(refused.status()).toBe(409);
    const body = (await refused.json()) as { error: string; message: string; reason?: { code: string } };
    expect(body.error).toBe('deadline_passed');
    expect(body.message).toContain('The deadline for amendments');
    expect(body.reason?.code).toBe('deadline_passed');

    // The review panel says, in Spanish, why new amendments are refused; the bar stays in view.
    const review = workers.page.getByRole('complementary', { name: 'Enmiendas y comentarios' });
    await expect(review).toContainText('El plazo para las enmiendas venció el');
    await expect(review).not.toContainText('deadline');
    await expect(bar).toBeInViewport();
    await settle(workers.page);
    await workers.page.screenshot({ path: path.join(SCREENSHOTS, 'spanish-deadline-refusal.png') });
    for (const s of [office, workers]) await s.context.close();
  });
});
