/** One dependency the process needs to serve: the store now, Redis when a deployment configures it. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<unknown>;
}

const CHECK_TIMEOUT_MS = 2000;

/**
 * Whether this process should receive traffic: not while starting or draining, and only while every
 * check answers within CHECK_TIMEOUT_MS.
 */
export class Readiness {
  private state: 'starting' | 'ready' | 'draining' = 'starting';

  constructor(private readonly checks: ReadinessCheck[]) {}

  ready(): void {
    if (this.state === 'starting') this.state = 'ready';
  }

  drain(): void {
    this.state = 'draining';
  }

  get draining(): boolean {
    return this.state === 'draining';
  }

  /** The name of the first failing check (or the state), or null when ready. */
  async problem(): Promise<string | null> {
    if (this.state !== 'ready') return this.state;
    for (const { name, check } of this.checks) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
      });
      try {
        await Promise.race([check(), timeout]);
      } catch {
        return name;
      } finally {
        clearTimeout(timer);
      }
    }
    return null;
  }
}
