/** One row of a benchmark's verdict, as bench/run.ts prints it and writes to bench/out/results.json. */
export interface Check {
  name: string;
  value: number | string;
  unit?: string;
  target?: string;
  pass: boolean;
}
