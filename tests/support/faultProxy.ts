import net from 'node:net';

/**
 * A TCP proxy to put between a process and PostgreSQL or Redis in fault tests: it passes bytes through
 * until told to pause them, drop or reset the connections, refuse new ones, or delay every chunk by a
 * fixed time or a random jitter. Bytes are never lost or reordered by a pause or a delay (TCP would not
 * lose them either); only drop and reset end connections.
 */
export interface FaultProxy {
  readonly host: string;
  readonly port: number;
  /** `url` (redis://…, postgres://…) with its host and port replaced by the proxy's. */
  url(url: string): string;
  /** Connection pairs open now. */
  readonly connections: number;
  /** Bytes received and not yet passed on (paused or delayed), both directions. */
  readonly heldBytes: number;
  /** Bytes passed on since the proxy started, both directions. */
  readonly forwardedBytes: number;
  /** Holds every byte in both directions, on open and new connections, until {@link resume}. */
  pause(): void;
  resume(): void;
  /** Closes every open connection on both sides (FIN): the link is cut, the service is still there. */
  drop(): void;
  /** Resets every open connection on both sides (RST). */
  reset(): void;
  /** While on, new connections are reset as soon as they arrive: the service looks down. */
  refuse(on: boolean): void;
  /** Delays each chunk by `ms`, or by a random time in [minMs, maxMs] (per chunk, order kept); 0: none. */
  delay(ms: number | { minMs: number; maxMs: number }): void;
  close(): Promise<void>;
}

interface Held {
  chunk: Buffer;
  at: number;
}

/** One direction of one connection: a queue that pause and delay hold bytes in. */
class Direction {
  readonly queue: Held[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastAt = 0;
  private ended = false;

  constructor(
    private readonly to: net.Socket,
    private readonly proxy: { paused: boolean; delayMs(): number; count(bytes: number): void },
  ) {}

  push(chunk: Buffer): void {
    const delay = this.proxy.delayMs();
    if (this.queue.length === 0 && !this.proxy.paused && delay === 0) {
      this.write(chunk);
      return;
    }
    // Never before the chunk ahead of it: a jitter must not reorder a byte stream.
    this.lastAt = Math.max(this.lastAt, Date.now() + delay);
    this.queue.push({ chunk, at: this.lastAt });
    this.flush();
  }

  end(): void {
    this.ended = true;
    this.flush();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.proxy.paused) return;
    const now = Date.now();
    while (this.queue.length > 0 && (this.queue[0] as Held).at <= now) {
      this.write((this.queue.shift() as Held).chunk);
    }
    const next = this.queue[0];
    if (next) this.timer = setTimeout(() => this.flush(), next.at - now);
    else if (this.ended && !this.to.destroyed) this.to.end();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }

  get held(): number {
    return this.queue.reduce((n, h) => n + h.chunk.length, 0);
  }

  private write(chunk: Buffer): void {
    if (this.to.destroyed) return;
    this.to.write(chunk);
    this.proxy.count(chunk.length);
  }
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  up: Direction;
  down: Direction;
}

export async function startFaultProxy(
  target: { host: string; port: number },
  options: { random?: () => number } = {},
): Promise<FaultProxy> {
  const random = options.random ?? Math.random;
  const pairs = new Set<Pair>();
  let refusing = false;
  let delay: { minMs: number; maxMs: number } = { minMs: 0, maxMs: 0 };
  let forwarded = 0;
  const state = {
    paused: false,
    delayMs: () => (delay.maxMs <= 0 ? 0 : delay.minMs + Math.floor(random() * (delay.maxMs - delay.minMs + 1))),
    count: (bytes: number) => {
      forwarded += bytes;
    },
  };

  const server = net.createServer((client) => {
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    const pair: Pair = {
      client,
      upstream,
      up: new Direction(upstream, state),
      down: new Direction(client, state),
    };
    pairs.add(pair);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.on('data', (chunk: Buffer) => pair.up.push(chunk));
    upstream.on('data', (chunk: Buffer) => pair.down.push(chunk));
    client.on('end', () => pair.up.end());
    upstream.on('end', () => pair.down.end());
    // An error on one side is passed on as a reset, so the other side sees what a real link would show.
    client.on('error', () => {
      if (!upstream.destroyed) upstream.resetAndDestroy();
    });
    upstream.on('error', () => {
      if (!client.destroyed) client.resetAndDestroy();
    });
    const forget = () => {
      if (!client.destroyed || !upstream.destroyed) return;
      pair.up.stop();
      pair.down.stop();
      pairs.delete(pair);
    };
    client.on('close', () => {
      if (!upstream.destroyed && pair.up.queue.length === 0) upstream.end();
      forget();
    });
    upstream.on('close', () => {
      if (!client.destroyed && pair.down.queue.length === 0) client.end();
      forget();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;

  const cut = (how: 'drop' | 'reset') => {
    for (const pair of [...pairs]) {
      pair.up.stop();
      pair.down.stop();
      for (const socket of [pair.client, pair.upstream]) {
        if (socket.destroyed) continue;
        if (how === 'reset') socket.resetAndDestroy();
        else socket.destroy();
      }
      pairs.delete(pair);
    }
  };

  return {
    host: '127.0.0.1',
    port,
    url(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    get connections() {
      return pairs.size;
    },
    get heldBytes() {
      let n = 0;
      for (const pair of pairs) n += pair.up.held + pair.down.held;
      return n;
    },
    get forwardedBytes() {
      return forwarded;
    },
    pause() {
      state.paused = true;
    },
    resume() {
      state.paused = false;
      for (const pair of pairs) {
        pair.up.flush();
        pair.down.flush();
      }
    },
    drop: () => cut('drop'),
    reset: () => cut('reset'),
    refuse(on) {
      refusing = on;
    },
    delay(ms) {
      delay = typeof ms === 'number' ? { minMs: ms, maxMs: ms } : ms;
      if (delay.minMs < 0 || delay.maxMs < delay.minMs) throw new Error('delay: 0 <= minMs <= maxMs');
    },
    async close() {
      cut('drop');
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
