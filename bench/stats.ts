/** Order statistics over a list of samples (milliseconds or microseconds, whatever the caller uses). */
export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
function rank(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function summarise(samples: ArrayLike<number>, digits = 2): Summary {
  const sorted = Float64Array.from(samples).sort();
  return {
    count: sorted.length,
    p50: round(rank(sorted, 50), digits),
    p95: round(rank(sorted, 95), digits),
    p99: round(rank(sorted, 99), digits),
    max: round(sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN, digits),
  };
}
