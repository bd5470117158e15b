/** One row of a benchmark's verdict, as bench/run.ts prints it and writes to bench/out/results.json. */
export interface Check {
  name: string;
  value: number | string;
  unit?: string;
  target?: string;
  pass: boolean;
}

/**
 * The median of the samples: for an even count, the mean of the two middle ones. (Every bench
 * takes an odd number of samples by default, so this only matters for an even
 * BENCH_REMINDERS_SWEEPS or a reminders run cut short.)
 */
export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** `x` rounded to `digits` decimals (half away from zero for positives, as Math.round). */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
