import type { Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../../server/commands/demo.js';
import { expectNoSeriousViolations } from './axe.js';
import { type Concord, DOCUMENT_ID, liveSection, apiAs } from './fixtures.js';
import { expect, quietTest as test } from './quietConsole.js';

/**
 * Issue 12, item 7: axe reports no serious or critical violation on the screens keyboard-a11y.spec.ts
 * leaves out — the phone layout (with its drawers open), the Spanish interface, the audit log, versions,
 * participants, the document list and "Since your last visit" — each with something on it to read.
 */
const PARAGRAPH = 27;
const SECTION = 'output-1-1';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** Something on every screen: amendments (one decided), a thread with a reply, a version, an open round. */
async function seed(concord: Concord): Promise<void> {
  const workers = await apiAs(concord, 'workers');
  const employers = await apiAs(concord, 'employers');
  const office = await apiAs(concord, 'office');
  const amendment = (find: string, text: string) => ({
    sectionId: SECTION,
    paragraph: PARAGRAPH,
    op: 'replace',
    find,
    text,
  });
  await office('POST', `/api/documents/${DOCUMENT_ID}/versions`, { name: 'Draft as circulated' });
  const now = Date.now();
  await office('POST', `/api/documents/${DOCUMENT_ID}/rounds`, {
    amendmentDeadline: now + 48 * 3_600_000,
    subAmendmentDeadline: now + 72 * 3_600_000,
  });
  const mine = await workers('POST', `/api/documents/${DOCUMENT_ID}/amendments`, amendment('importance', 'portée'));
  await employers('POST', `/api/documents/${DOCUMENT_ID}/amendments`, amendment('formaliser', 'codifier'));
  await employers('POST', `/api/amendments/${mine.id}/oppose`);
  const thread = await workers('POST', `/api/documents/${DOCUMENT_ID}/threads`, {
    sectionId: SECTION,
    paragraph: PARAGRAPH,
    visibility: 'all',
    body: 'Pourquoi « fondamentale » ?',
  });
  await employers('POST', `/api/threads/${thread.id}/replies`, { body: 'Parce que c’est le mandat.' });
  await office('POST', `/api/amendments/${mine.id}/reject`);
}

/** Signs in through the form in whichever language the page speaks (fixtures' signIn knows EN and FR). */
async function switchUser(page: Page, username: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto('/');
  await page.getByLabel(/username|nom d’utilisateur|nombre de usuario/i).fill(username);
  await page.getByLabel(/password|mot de passe|contraseña/i).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /^(sign in|se connecter|iniciar sesión)$/i }).click();
  await expect(page.getByTestId('user-menu')).toBeVisible();
}

/** A delegate's screens: the document list, the document (its drawers or panel), what is new. */
async function delegateScreens(page: Page, label: string, narrow: boolean): Promise<void> {
  await switchUser(page, 'workers');
  await expect(page.getByTestId(`document-facts-${DOCUMENT_ID}`).getByTestId('document-counts')).toBeVisible();
  await expectNoSeriousViolations(page, `${label} document list`);

  await page.goto(`/d/${DOCUMENT_ID}#p${PARAGRAPH}`);
  await expect(liveSection(page, SECTION)).toBeVisible({ timeout: 30_000 });
  await expectNoSeriousViolations(page, `${label} document`, `[data-section-id="${SECTION}"]`);
  if (narrow) {
    // The outline drawer, then the review drawer, each open over the text.
    await page.getByTestId('outline-toggle').click();
    await expect(page.getByTestId('doc-sidebar')).toBeVisible();
    await expectNoSeriousViolations(page, `${label} outline drawer`, '#doc-sidebar');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('doc-sidebar')).toBeHidden();
  }
  const reviewOpen = (await page.getByTestId('review-toggle').getAttribute('aria-expanded')) === 'true';
  if (!reviewOpen) await page.getByTestId('review-toggle').click();
  await expect(page.getByTestId('review-panel').locator('[data-amendment-id]').first()).toBeVisible();
  await expectNoSeriousViolations(page, `${label} review panel`, '#review-panel');

  await page.goto(`/d/${DOCUMENT_ID}/since`);
  await expect(page.getByTestId('since-screen')).toBeVisible();
  await expectNoSeriousViolations(page, `${label} since your last visit`);
}

/** The Office's screens: the desk, versions, the audit log, participants. */
async function officeScreens(page: Page, label: string): Promise<void> {
  await switchUser(page, 'office');
  await page.goto(`/d/${DOCUMENT_ID}/desk`);
  await expect(page.getByTestId('desk-screen').locator('[data-testid^="desk-A-"]').first()).toBeVisible({
    timeout: 30_000,
  });
  await expectNoSeriousViolations(page, `${label} desk`);
  await page.goto(`/d/${DOCUMENT_ID}/versions`);
  await expect(page.getByTestId('versions-table')).toContainText('Draft as circulated');
  await expectNoSeriousViolations(page, `${label} versions`);
  await page.goto(`/d/${DOCUMENT_ID}/audit`);
  await expect(page.getByTestId('audit-table').locator('tbody tr').first()).toBeVisible();
  await expectNoSeriousViolations(page, `${label} audit`);
  await page.goto('/participants');
  await expect(page.getByRole('main')).toBeVisible();
  await expectNoSeriousViolations(page, `${label} participants`);
}

// One test per role and language: each axe pass over the document takes tens of seconds on a loaded machine.
test.describe('axe on a phone', () => {
  test.use(PHONE);
  test('a phone at 390×844, a delegate: the list, the document with its drawers, what is new', async ({
    page,
    concord,
  }) => {
    test.setTimeout(240_000);
    await seed(concord);
    await delegateScreens(page, 'phone', true);
  });
  test('a phone at 390×844, the Office: the desk, versions, audit, participants', async ({ page, concord }) => {
    test.setTimeout(240_000);
    await seed(concord);
    await officeScreens(page, 'phone');
  });
});

test.describe('axe in Spanish', () => {
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem('concord.language', 'es'));
  });
  test('the Spanish interface at 1280×800, a delegate: the list, the document, what is new', async ({
    page,
    concord,
  }) => {
    test.setTimeout(240_000);
    await seed(concord);
    await delegateScreens(page, 'es', false);
  });
  test('the Spanish interface at 1280×800, the Office: the desk, versions, audit, participants', async ({
    page,
    concord,
  }) => {
    test.setTimeout(240_000);
    await seed(concord);
    await officeScreens(page, 'es');
  });
});

test.describe('axe on the Office’s other screens', () => {
  test('the audit log, versions and participants at 1280×800', async ({ page, concord }) => {
    test.setTimeout(240_000);
    await seed(concord);
    await officeScreens(page, 'desktop');
  });
});
