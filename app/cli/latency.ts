/** Latency figures of a benchmark: percentiles and mean of a set of samples, in milliseconds. */
export interface Latency {
  readonly p50: number;
  readonly p95: number;
  readonly mean: number;
  readonly n: number;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Summarises samples (milliseconds) as p50, p95 and mean. */
export function summarize(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50: at(0.5), p95: at(0.95), mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)), n: sorted.length };
}
