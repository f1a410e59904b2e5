import path from 'node:path';
import { allowConsole, SCREENSHOTS, expect, signIn, test } from './fixtures.js';

test.describe('session', () => {
  test('a wrong password says so; signing in lasts across reloads; signing out ends it', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Sign in to Concord' })).toBeVisible();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sign-in.png') });

    await page.getByLabel('Username').fill('gov-fr');
    // The wrong password is what is tested: the server's 401 to it is expected.
    allowConsole(page, /status of 401 \(Unauthorized\) \(http:[^ ]*\/api\/session:0\)$/);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('sign-in-error')).toHaveText(/Wrong username or password/);

    await page.getByLabel('Password').fill('concord-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('link', { name: 'Open GB.346/PFA/1' })).toBeVisible();

    await page.reload();
    await expect(page.getByTestId('user-menu')).toContainText('Julien Moreau');

    await page.getByTestId('user-menu').locator('summary').click();
    await expect(page.getByTestId('user-menu')).toContainText('Government of France');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByTestId('sign-in-notice')).toHaveText('You are signed out.');
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sign in to Concord' })).toBeVisible();
    expect((await page.request.get('/api/me')).status()).toBe(401);
  });

  test('the language switch changes the UI, is remembered, and leaves the document in French', async ({ page }) => {
    await signIn(page, 'employers');
    await page.goto('/d/gb-346-pfa-1');
    await expect(page.getByRole('heading', { name: 'Contents' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');

    await page.getByTestId('language-fr').click();
    await expect(page.getByRole('heading', { name: 'Sommaire' })).toBeVisible();
    await expect(page.getByLabel('Trouver un paragraphe ou des mots')).toBeVisible();
    await expect(page.getByTestId('connection-status')).toContainText('En direct');
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    // The text keeps its own language whatever the UI speaks.
    await expect(page.locator('[data-section-id="part-1"] .doc-text').first()).toHaveAttribute('lang', 'fr');
    await expect(page.locator('[data-section-id="part-1"]')).toContainText('Introduction');

    await page.reload();
    await expect(page.getByRole('heading', { name: 'Sommaire' })).toBeVisible();
    await page.getByTestId('language-en').click();
    await expect(page.getByRole('heading', { name: 'Contents' })).toBeVisible();
  });

  test('an expired session sends the delegate back to sign-in with a message', async ({ page, concord }) => {
    await signIn(page, 'workers');
    await page.goto('/d/gb-346-pfa-1');
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');
    // The session disappears on the server (expiry, revocation): the live connections are told.
    const token = (await page.context().cookies()).find((c) => c.name === 'concord_session')?.value ?? '';
    await fetch(`${concord.url}/api/session`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    await expect(page.getByTestId('sign-in-notice')).toHaveText('Your session has ended. Sign in again to continue.');
  });
});
