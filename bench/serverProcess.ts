import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ServerReady, ServerSpec } from './childProtocol.js';

export type ServerKind = 'concord' | 'bare';

export interface ServerChild {
  kind: ServerKind;
  pid: number;
  ready: ServerReady;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

/** Kills every server child still running (on a fatal error or the watchdog). */
export function killAllChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

/** Starts a server in its own Node process (with tsx's loader, as the bench itself runs). */
export async function startServerProcess(kind: ServerKind, spec: ServerSpec, timeoutMs = 60_000): Promise<ServerChild> {
  const file = new URL(kind === 'concord' ? './concordProcess.ts' : './bareProcess.ts', import.meta.url).pathname;
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_SERVER: JSON.stringify(spec) };
  delete env.YPERSISTENCE;
  delete env.NODE_OPTIONS;
  // BENCH_PROFILE=<folder>: write a V8 CPU profile of each server process there (for diagnosis).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  // Concord runs as `npm start` runs it: a young generation large enough that scavenges stay rare.
  const tuning = kind === 'concord' ? ['--max-semi-space-size=64'] : [];
  const child = spawn(process.execPath, [...process.execArgv, ...tuning, ...profile, file], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => children.delete(child));
  const stdout = child.stdout;
  if (!stdout || child.pid === undefined) throw new Error(`could not start the ${kind} server`);
  const ready = await new Promise<ServerReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start in ${timeoutMs} ms`)), timeoutMs);
    const lines = createInterface({ input: stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as ServerReady);
      } catch (err) {
        reject(err);
      }
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code} before it was ready`)));
  });
  const pid = child.pid;
  return {
    kind,
    pid,
    ready,
    async stop() {
      child.stdin?.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
