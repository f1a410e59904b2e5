import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux/x86). */
const USER_HZ = 100;

/**
 * CPU time of a process in microseconds, all threads. From /proc/<pid>/task/<tid>/schedstat (nanoseconds
 * on CPU per thread) when the kernel provides it; /proc/<pid>/stat utime+stime (10 ms ticks) otherwise.
 */
export function processCpuUs(pid: number): number {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // A thread that ended between the listing and the read: its time is in the process total below.
      }
    }
    if (ns > 0) return ns / 1000;
  } catch {
    // No schedstat: fall through.
  }
  return processTicksUs(pid);
}

/** utime + stime from /proc/<pid>/stat, in microseconds (10 ms resolution; includes ended threads). */
export function processTicksUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1e6) / USER_HZ;
}

/** Resident set size and its peak, in MiB, from /proc/<pid>/status. */
export function processRss(pid: number): { rssMB: number; peakMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) : Number.NaN;
  };
  return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
}
