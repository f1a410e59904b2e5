import { allowConsole, DOCUMENT_ID, expect, liveSection, openAs, test } from './fixtures.js';

test('after a server restart the client reconnects, and an edit made while offline arrives', async ({
  browser,
  concord,
}) => {
  const { page, context } = await openAs(browser, concord.url, 'workers', '#p42');
  // The server is down on purpose: the attempts to reach it meanwhile are refused.
  allowConsole(
    page,
    /^error: (WebSocket connection to '[^']*' failed: .*|Failed to load resource): net::ERR_CONNECTION_REFUSED/,
  );
  const section = 'outcome-2';
  await expect(page.locator(`[data-section-id="${section}"] [data-editable="true"]`)).toBeVisible();
  const status = page.getByTestId('connection-status');
  await expect(status).toHaveAttribute('data-state', 'connected');

  await concord.restart({
    whileDown: async () => {
      await expect(status).toHaveAttribute('data-state', 'reconnecting');
      await expect(status).toContainText('Reconnecting');
      // Editing goes on while the server is away; the edit is kept.
      await page
        .locator(`[data-section-id="${section}"] .ProseMirror [id="p42"] p`)
        .first()
        .click({ position: { x: 1, y: 4 } });
      await page.keyboard.type('Rédigé hors ligne: ', { delay: 10 });
      await expect(status).toHaveAttribute('data-pending', 'true');
    },
  });

  await expect(status).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
  await expect(status).toHaveAttribute('data-pending', 'false');
  await expect
    .poll(async () => {
      const res = await page.request.get(`/api/documents/${DOCUMENT_ID}/sections/${section}`);
      return ((await res.json()) as { text: string }).text;
    })
    .toContain('Rédigé hors ligne: ');

  // Someone opening the document now reads it too.
  const other = await openAs(browser, concord.url, 'gov-za', '#p42');
  await expect(liveSection(other.page, section)).toContainText('Rédigé hors ligne: ');
  await other.context.close();
  await context.close();
});
