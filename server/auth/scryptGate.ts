/**
 * At most `limit` password checks run at once. Node's scrypt already runs on libuv's thread pool, off
 * the event loop; the pool has only four threads, shared with file system work, so a burst of guesses
 * must not occupy all of them. Checks past the limit wait in line.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

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
