import { DEMO_PASSWORD } from '../../server/commands/demo.js';
import { expect, openAs, test } from './fixtures';

/**
 * When the Office changes a connected delegate's group, the delegate's open document comes back with the
 * new powers by itself: the collaboration sockets close with 4205 and reconnect, and the page reads the
 * session again, so it shows who the delegate now is without a reload.
 */
test.describe('a role or group change reaches an open page', () => {
  test('the Workers’ delegate moved to the Employers sees it at once', async ({ browser, concord }) => {
    test.setTimeout(60_000);
    const { context, page } = await openAs(browser, concord.url, 'workers');
    const menu = page.getByTestId('user-menu');
    await menu.locator('summary').click();
    await expect(menu).toContainText('Workers’ group');
    // The page holds live sections (the 4205 comes over them).
    await expect.poll(() => concord.server.services.collab.loadedRooms().length).toBeGreaterThan(0);

    const workers = await concord.server.store.findUserByUsername('workers');
    if (!workers) throw new Error('the demo Workers’ account expected');
    const signedIn = await fetch(`${concord.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'office', password: DEMO_PASSWORD }),
    });
    const { token } = (await signedIn.json()) as { token: string };
    const changed = await fetch(`${concord.url}/api/admin/users/${workers.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ group: 'employers' }),
    });
    expect(changed.status).toBe(200);

    await expect(menu).toContainText('Employers’ group');
    await expect(menu).not.toContainText('Workers’ group');
    await context.close();
  });
});
