/**
 * At most `limit` tasks run at once; the others wait in line. Password checks go through two of these:
 * one per client address (its guesses are checked one after another, so a burst from one machine
 * occupies one thread) and one for the server, below the size of libuv's thread pool (four threads,
 * where node's scrypt runs off the event loop, shared with file system work).
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** Tasks running or waiting. */
  get load(): number {
    return this.running + this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** One gate per key (a client address), dropped when idle; a key with `maxLoad` tasks already refuses more. */
export class KeyedGates {
  private readonly gates = new Map<string, ConcurrencyGate>();

  constructor(
    private readonly limit: number,
    private readonly maxLoad: number,
  ) {}

  /** Runs `work` in the key's line, or returns `busy` at once when the line is full. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T | 'busy'> {
    let gate = this.gates.get(key);
    if (!gate) {
      gate = new ConcurrencyGate(this.limit);
      this.gates.set(key, gate);
    }
    if (gate.load >= this.maxLoad) return 'busy';
    try {
      return await gate.run(work);
    } finally {
      if (gate.load === 0) this.gates.delete(key);
    }
  }
}
