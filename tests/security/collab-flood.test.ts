import { io as connectRealtime, type Socket as RealtimeSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode } from '../../shared/closeCodes.js';
import { SECTION_FRAGMENT } from '../../shared/limits.js';
import type { Config } from '../../server/config.js';
import { connectProvider, nextClose, typeInto, waitForSync } from '../support/providers.js';
import { clientFrame, closeCodeIn, rawUpgrade } from '../support/rawSocket.js';
import { type TestServer, buildUser, eventually, startTestServer } from '../support/testServer.js';

const DOCUMENT = 'gb-999-test-1';
const ROOM = `${DOCUMENT}/part-1`;
/** Just under ws's maxPayload: the frames of the reported attack. */
const BIG_FRAME = clientFrame(Buffer.alloc(Math.floor(3.9 * 1024 * 1024), 1));
const MiB = 1024 * 1024;

describe('collaboration socket under a flood', () => {
  let server: TestServer;
  const cleanups: (() => void)[] = [];

  async function start(config: Partial<Config> = {}) {
    server = await startTestServer({ config });
  }

  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await server.stop();
  });

  async function signedIn(role: 'secretariat' | 'delegate' | 'observer' = 'secretariat') {
    const user = await buildUser(server.store, { role, group: role === 'delegate' ? 'workers' : null });
    return { user, token: await server.login(user) };
  }

  function provider(token: string | null) {
    const c = connectProvider(server.url, ROOM, token);
    cleanups.push(() => c.provider.destroy());
    return c;
  }

  it('drops flooding sockets at once, with or without a session, and keeps serving others', async () => {
    await start();
    const office = await signedIn();
    const attacker = await signedIn('delegate');
    const reader = provider(office.token);
    await waitForSync(reader.provider);
    const storedBefore = await server.store.countUpdates(DOCUMENT, 'part-1');
    const rssBefore = process.memoryUsage.rss();

    const anonymous = await Promise.all([1, 2].map(() => rawUpgrade(server.url, `/collab/${ROOM}`)));
    const withToken = await Promise.all(
      [1, 2].map(() => rawUpgrade(server.url, `/collab/${ROOM}?token=${attacker.token}`)),
    );
    const attackers = [...anonymous, ...withToken];
    for (const raw of attackers) cleanups.push(() => raw.socket.destroy());
    const flooding = attackers.map((raw) => raw.flood(BIG_FRAME, 3000));

    // While they flood, an honest writer's edit still reaches the reader.
    const writer = provider(office.token);
    await waitForSync(writer.provider);
    typeInto(writer.doc, ' PENDANT LE FLOT.');
    await eventually(() =>
      expect(reader.doc.getXmlFragment(SECTION_FRAGMENT).toString()).toContain('PENDANT LE FLOT.'),
    );

    // Each attacker is cut off well before the flood ends (which would take 3 s): nothing more is read.
    const cutOff = await Promise.race([
      Promise.all(attackers.map((raw) => raw.closed)).then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 2000)),
    ]);
    expect(cutOff).toBe(true);
    await Promise.all(flooding);
    for (const raw of anonymous) {
      expect(closeCodeIn(raw.received())).toBe(CloseCode.Unauthenticated);
      expect(raw.written()).toBeLessThan(16 * MiB);
    }
    for (const raw of withToken) {
      // Its close frame (4413) may be lost to the reset of a socket that never stops writing; the
      // stock client's case is in tests/integration/collab.test.ts.
      expect([CloseCode.MessageTooLarge, null]).toContain(closeCodeIn(raw.received()));
      expect(raw.written()).toBeLessThan(32 * MiB);
    }
    // The reported attack grew the server by 1.2–1.6 GB in 3 s.
    expect(process.memoryUsage.rss() - rssBefore).toBeLessThan(200 * MiB);

    // Nothing of the flood was stored: only the honest edit.
    await server.services.collab.getRoom(DOCUMENT, 'part-1')?.drain();
    expect(await server.store.countUpdates(DOCUMENT, 'part-1')).toBe(storedBefore + 1);
  });

  it('refuses a user past the per-user connection cap with 4429, and admits them again once one closes', async () => {
    await start({ maxConnectionsPerUser: 2 });
    const office = await signedIn();
    const first = provider(office.token);
    const second = provider(office.token);
    await Promise.all([waitForSync(first.provider), waitForSync(second.provider)]);

    const third = provider(office.token);
    const close = await nextClose(third.provider);
    expect(close.code).toBe(CloseCode.TooManyConnections);
    expect(close.reason).toMatch(/too many/i);

    // Another user is not affected, and the two open connections still work.
    const other = await signedIn();
    const otherClient = provider(other.token);
    await waitForSync(otherClient.provider);
    typeInto(first.doc, ' ENCORE LA.');
    await eventually(() => expect(otherClient.doc.getXmlFragment(SECTION_FRAGMENT).toString()).toContain('ENCORE LA.'));

    first.provider.destroy();
    await eventually(() => expect(server.services.collab.connectionsOf(office.user.id)).toBe(1));
    const again = provider(office.token);
    await waitForSync(again.provider);
  });

  it('limits how fast one address opens sockets, with 4429', async () => {
    await start({ connectRatePerIp: 1, connectBurstPerIp: 3 });
    const office = await signedIn();
    const url = `${server.url.replace(/^http/, 'ws')}/collab/${ROOM}?token=${office.token}`;
    const outcomes = await Promise.all(
      [1, 2, 3, 4, 5].map(
        () =>
          new Promise<number>((resolve) => {
            const ws = new WebSocket(url);
            cleanups.push(() => ws.terminate());
            // An opened socket that receives the server's first sync message was admitted.
            ws.once('message', () => resolve(0));
            ws.once('close', (code) => resolve(code));
          }),
      ),
    );
    expect(outcomes.filter((code) => code === 0)).toHaveLength(3);
    expect(outcomes.filter((code) => code === CloseCode.TooManyConnections)).toHaveLength(2);
  });

  it('behind a trusted proxy, limits each forwarded client address, not the proxy’s', async () => {
    await start({ connectRatePerIp: 1, connectBurstPerIp: 3, trustedProxies: ['127.0.0.9'] });
    const office = await signedIn();
    const url = `${server.url.replace(/^http/, 'ws')}/collab/${ROOM}?token=${office.token}`;
    const open = (from: string, client: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { localAddress: from, headers: { 'x-forwarded-for': client } });
        cleanups.push(() => ws.terminate());
        ws.once('message', () => resolve(0));
        ws.once('close', (code) => resolve(code));
      });
    // Two clients behind the proxy, three sockets each: each within its own burst.
    const viaProxy = await Promise.all(
      ['198.51.100.1', '198.51.100.2'].flatMap((client) => [1, 2, 3].map(() => open('127.0.0.9', client))),
    );
    expect(viaProxy).toEqual([0, 0, 0, 0, 0, 0]);
    // Not a trusted proxy: its header is ignored, and its address's burst is spent after three.
    const direct = await Promise.all([1, 2, 3, 4].map((i) => open('127.0.0.8', `198.51.100.${10 + i}`)));
    expect(direct.filter((code) => code === CloseCode.TooManyConnections)).toHaveLength(1);
  });

  it('caps socket.io connections per user', async () => {
    await start({ maxRealtimeConnectionsPerUser: 2 });
    const office = await signedIn();
    const sockets: RealtimeSocket[] = [];
    cleanups.push(() => {
      for (const s of sockets) s.disconnect();
    });
    const open = () => {
      const socket = connectRealtime(server.url, {
        path: '/socket.io',
        auth: { token: office.token },
        transports: ['websocket'],
        reconnection: false,
      });
      sockets.push(socket);
      return new Promise<Error | null>((resolve) => {
        socket.once('connect', () => resolve(null));
        socket.once('connect_error', (err) => resolve(err));
      });
    };
    expect(await open()).toBeNull();
    expect(await open()).toBeNull();
    const refused = await open();
    expect(refused?.message).toBe('too_many_connections');
    expect((refused as Error & { data?: { message: string } }).data?.message).toMatch(/too many/i);

    sockets[0]?.disconnect();
    await eventually(async () => expect(await open()).toBeNull());
  });

  it('drops a socket that sends too much before its section is loaded', async () => {
    await start();
    const office = await signedIn();
    // Hold the section's lookup, as a slow store would, so that the socket stays unattached.
    let letGo: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    const store = server.store as unknown as { getSection: (...args: unknown[]) => Promise<unknown> };
    const getSection = store.getSection.bind(store);
    store.getSection = async (...args) => {
      await held;
      return getSection(...args);
    };
    const raw = await rawUpgrade(server.url, `/collab/${ROOM}?token=${office.token}`);
    cleanups.push(() => raw.socket.destroy());
    // 40 small messages: more than the 32 held for a socket that is not attached yet.
    raw.socket.write(Buffer.concat(Array.from({ length: 40 }, () => clientFrame(Buffer.from([1, 0])))));
    await raw.closed;
    expect(closeCodeIn(raw.received())).toBe(CloseCode.MessageTooLarge);
    letGo();
    // The section still opens for everyone else.
    const reader = provider(office.token);
    await waitForSync(reader.provider);
  });

  it('drops an upgrade whose session lookup takes longer than the 5 s deadline', async () => {
    await start();
    const sessions = server.services.sessions as unknown as { authenticate: () => Promise<unknown> };
    const authenticate = sessions.authenticate;
    sessions.authenticate = () => new Promise(() => {});
    const raw = await rawUpgrade(server.url, `/collab/${ROOM}?token=whatever`);
    cleanups.push(() => raw.socket.destroy());
    sessions.authenticate = authenticate;
    // Dropped without an upgrade: no websocket ever existed for it.
    expect(raw.received().toString()).toBe('');
  }, 15_000);

  it('refuses a stock client without a session with 4401, and the store is unchanged', async () => {
    await start();
    const before = await server.store.countUpdates(DOCUMENT, 'part-1');
    const anonymous = provider(null);
    const close = await nextClose(anonymous.provider);
    expect(close.code).toBe(CloseCode.Unauthenticated);
    expect(close.reason).toMatch(/sign in/i);
    expect(anonymous.doc.getXmlFragment(SECTION_FRAGMENT).length).toBe(0);
    expect(await server.store.countUpdates(DOCUMENT, 'part-1')).toBe(before);
  });
});
