/** One measured figure, as `bench/results.json` records it. */
export interface BenchResult {
  /** Stable dotted name, given by the issue that adds the benchmark, e.g. `iam.validate_10k_median_ms`. */
  id: string;
  value: number;
  unit: 'ratio' | 'ms' | 'kB' | 'per_s' | 'count';
  /** `<= n`, `>= n`, `== n`, or null when there is no goal. */
  goal: string | null;
  /** How many measured repetitions stand behind `value`. */
  runs: number;
}

/**
 * A benchmark file is `bench/<area>.bench.ts` whose default export runs its measurements and
 * returns their results. `npm run bench` runs every such file in its own process, one after another.
 */
export type BenchModule = { default: () => Promise<BenchResult[]> };

/** Median of a non-empty list of numbers. */
export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}
