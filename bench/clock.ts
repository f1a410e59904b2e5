/** A monotonic clock in milliseconds, shared by every thread of the process (CLOCK_MONOTONIC). */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
