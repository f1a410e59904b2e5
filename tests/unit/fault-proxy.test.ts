import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy.js';
import { eventually } from '../support/testServer.js';

/** An echo service that counts what reached it: the proxy's upstream. */
async function startEcho(): Promise<{ port: number; received: () => number; close: () => Promise<void> }> {
  let received = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      socket.write(chunk);
    });
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => received,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Client {
  socket: net.Socket;
  text: () => string;
  ended: Promise<{ error: string | null }>;
}

async function connect(proxy: FaultProxy): Promise<Client> {
  const socket = net.connect(proxy.port, proxy.host);
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  let error: string | null = null;
  socket.on('error', (err: NodeJS.ErrnoException) => {
    error = err.code ?? err.message;
  });
  const ended = new Promise<{ error: string | null }>((resolve) => socket.on('close', () => resolve({ error })));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return { socket, text: () => text, ended };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setUp(options?: { random?: () => number }) {
  const echo = await startEcho();
  const proxy = await startFaultProxy({ host: '127.0.0.1', port: echo.port }, options);
  cleanups.push(
    () => echo.close(),
    () => proxy.close(),
  );
  return { echo, proxy };
}

describe('fault proxy', () => {
  it('passes bytes through both ways and counts connections', async () => {
    const { echo, proxy } = await setUp();
    const client = await connect(proxy);
    client.socket.write('hello');
    await eventually(() => expect(client.text()).toBe('hello'));
    expect(echo.received()).toBe(5);
    expect(proxy.connections).toBe(1);
    client.socket.end();
    await client.ended;
    await eventually(() => expect(proxy.connections).toBe(0));
  });

  it('pause holds the bytes (none reach the service) and resume delivers them in order', async () => {
    const { echo, proxy } = await setUp();
    const client = await connect(proxy);
    proxy.pause();
    client.socket.write('one ');
    client.socket.write('two');
    // The proxy has taken every byte and holds it: the service cannot have seen any.
    await eventually(() => expect(proxy.heldBytes).toBe(7));
    expect(echo.received()).toBe(0);
    proxy.resume();
    await eventually(() => expect(client.text()).toBe('one two'));
  });

  it('drop closes the link cleanly; reset resets it', async () => {
    const { proxy } = await setUp();
    const dropped = await connect(proxy);
    dropped.socket.write('x');
    await eventually(() => expect(dropped.text()).toBe('x'));
    proxy.drop();
    expect((await dropped.ended).error).toBeNull();

    const reset = await connect(proxy);
    reset.socket.write('y');
    await eventually(() => expect(reset.text()).toBe('y'));
    proxy.reset();
    expect((await reset.ended).error).toBe('ECONNRESET');
    expect(proxy.connections).toBe(0);
  });

  it('refuses new connections while told to, and accepts them again after', async () => {
    const { proxy } = await setUp();
    proxy.refuse(true);
    const socket = net.connect(proxy.port, proxy.host);
    const outcome = await new Promise<string>((resolve) => {
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      socket.on('close', () => resolve('closed'));
    });
    expect(['ECONNRESET', 'closed']).toContain(outcome);
    proxy.refuse(false);
    const client = await connect(proxy);
    client.socket.write('back');
    await eventually(() => expect(client.text()).toBe('back'));
  });

  it('delays each chunk by a fixed time', async () => {
    const { proxy } = await setUp();
    const client = await connect(proxy);
    proxy.delay(150);
    const start = performance.now();
    client.socket.write('slow');
    await eventually(() => expect(client.text()).toBe('slow'));
    // Both directions are delayed.
    expect(performance.now() - start).toBeGreaterThanOrEqual(290);
  });

  it('jitters chunks at random without reordering them', async () => {
    // A fixed sequence: each chunk draws a different delay, later chunks often shorter ones.
    const draws = [0.9, 0.1, 0.5, 0.0, 0.7, 0.2];
    let i = 0;
    const { proxy } = await setUp({ random: () => draws[i++ % draws.length] as number });
    const client = await connect(proxy);
    proxy.delay({ minMs: 0, maxMs: 100 });
    const words = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    // Each write handed to the kernel before the next, so that most arrive as chunks of their own.
    for (const w of words) await new Promise<void>((resolve) => client.socket.write(w, () => resolve()));
    await eventually(() => expect(client.text()).toBe(words.join('')));
  });
});
