import type { Redis } from 'ioredis';
import { PresenterPositionPayload, type PresenterPosition } from '../../shared/events.js';
import type { PublicUser } from '../../shared/roles.js';

/** Who presents a document: the presenting socket (unique across processes), as whom, where, since when. */
export interface Presentation {
  socketId: string;
  presenter: PublicUser;
  position: PresenterPosition | null;
  since: number;
}

/**
 * Where the presenter of each document is kept: in this process by default, in Redis when several
 * processes serve one document (a follower on one process sees the Office presenting on another).
 * Changes are conditional on the presenting socket, so that a stale socket can neither move nor end
 * a presentation someone else has taken over.
 */
export interface PresenterStore {
  get(documentId: string): Promise<Presentation | null>;
  /** Starts (or takes over) the presentation of a document. */
  start(documentId: string, presentation: Presentation): Promise<void>;
  /** Ends it if `socketId` still presents; whether it did. */
  stopIf(documentId: string, socketId: string): Promise<boolean>;
  /** Moves it if `socketId` still presents; whether it did. */
  moveIf(documentId: string, socketId: string, position: PresenterPosition): Promise<boolean>;
  close(): void;
}

export class MemoryPresenterStore implements PresenterStore {
  private readonly presenting = new Map<string, Presentation>();

  async get(documentId: string): Promise<Presentation | null> {
    return this.presenting.get(documentId) ?? null;
  }

  async start(documentId: string, presentation: Presentation): Promise<void> {
    this.presenting.set(documentId, presentation);
  }

  async stopIf(documentId: string, socketId: string): Promise<boolean> {
    if (this.presenting.get(documentId)?.socketId !== socketId) return false;
    this.presenting.delete(documentId);
    return true;
  }

  async moveIf(documentId: string, socketId: string, position: PresenterPosition): Promise<boolean> {
    const p = this.presenting.get(documentId);
    if (!p || p.socketId !== socketId) return false;
    p.position = position;
    return true;
  }

  close(): void {}
}

/**
 * A presentation outlives its process only by `ttlMs`: the process holding the presenting socket
 * renews it, so one that dies leaves no presenter behind for long.
 */
const TTL_MS = 60_000;
const RENEW_EVERY_MS = 20_000;

const STOP_IF = `
if redis.call('HGET', KEYS[1], 'socket') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`;

const MOVE_IF = `
if redis.call('HGET', KEYS[1], 'socket') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'position', ARGV[2])
  return 1
end
return 0`;

const RENEW_IF = `
if redis.call('HGET', KEYS[1], 'socket') == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/** One hash per document: `socket`, `presenter` (JSON), `position` (JSON or empty), `since`. */
export class RedisPresenterStore implements PresenterStore {
  /** Presentations held by this process's sockets, renewed while they last. */
  private readonly held = new Map<string, string>();
  private readonly renewal: NodeJS.Timeout;

  constructor(
    private readonly redis: () => Redis,
    private readonly prefix: string,
    private readonly onError: (err: unknown) => void,
  ) {
    this.renewal = setInterval(() => void this.renew(), RENEW_EVERY_MS);
    this.renewal.unref();
  }

  async get(documentId: string): Promise<Presentation | null> {
    const hash = await this.redis().hgetall(this.keyOf(documentId));
    return parsePresentation(hash);
  }

  async start(documentId: string, presentation: Presentation): Promise<void> {
    const key = this.keyOf(documentId);
    await this.redis()
      .multi()
      .del(key)
      .hset(key, {
        socket: presentation.socketId,
        presenter: JSON.stringify(presentation.presenter),
        position: presentation.position ? JSON.stringify(presentation.position) : '',
        since: String(presentation.since),
      })
      .pexpire(key, TTL_MS)
      .exec();
    this.held.set(documentId, presentation.socketId);
  }

  async stopIf(documentId: string, socketId: string): Promise<boolean> {
    if (this.held.get(documentId) === socketId) this.held.delete(documentId);
    return Number(await this.redis().eval(STOP_IF, 1, this.keyOf(documentId), socketId)) === 1;
  }

  async moveIf(documentId: string, socketId: string, position: PresenterPosition): Promise<boolean> {
    const moved = await this.redis().eval(MOVE_IF, 1, this.keyOf(documentId), socketId, JSON.stringify(position));
    return Number(moved) === 1;
  }

  close(): void {
    clearInterval(this.renewal);
  }

  private keyOf(documentId: string): string {
    return `${this.prefix}presenter:${documentId}`;
  }

  private async renew(): Promise<void> {
    for (const [documentId, socketId] of [...this.held]) {
      try {
        const renewed = await this.redis().eval(RENEW_IF, 1, this.keyOf(documentId), socketId, TTL_MS);
        // Taken over elsewhere, or expired while Redis was away: no longer ours to keep alive.
        if (Number(renewed) !== 1) this.held.delete(documentId);
      } catch (err) {
        this.onError(err);
        return;
      }
    }
  }
}

/** What Redis holds is checked like any input: a damaged entry reads as "nobody presents". */
function parsePresentation(hash: Record<string, string>): Presentation | null {
  const { socket, presenter, position, since } = hash;
  if (!socket || !presenter || since === undefined) return null;
  try {
    const user = JSON.parse(presenter) as PublicUser;
    if (typeof user?.id !== 'string' || typeof user.name !== 'string') return null;
    const parsedPosition = position ? PresenterPositionPayload.safeParse(JSON.parse(position)) : null;
    if (parsedPosition && !parsedPosition.success) return null;
    const sinceMs = Number(since);
    if (!Number.isFinite(sinceMs)) return null;
    return { socketId: socket, presenter: user, position: parsedPosition?.data ?? null, since: sinceMs };
  } catch {
    return null;
  }
}
