/**
 * Diagnosis only (BENCH_PROFILE_EDIT=<folder>): a server child profiles its CPU between two SIGUSR2
 * signals, which the bench sends at the start and the end of the edit phase, and writes a V8
 * .cpuprofile into the folder.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

export function profileOnSignal(name: string): void {
  const dir = process.env.BENCH_PROFILE_EDIT;
  if (!dir) return;
  const session = new Session();
  session.connect();
  let running = false;
  process.on('SIGUSR2', () => {
    void (async () => {
      if (!running) {
        running = true;
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 100 });
        await session.post('Profiler.start');
        return;
      }
      running = false;
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(path.join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(profile));
    })();
  });
}
