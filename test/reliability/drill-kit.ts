import { appendFileSync } from 'node:fs';
import { type DrillResult, SUMMARY_FILE } from './summary-file.js';

/** `full` by default; `quick` (RELIABILITY_MODE=quick) shortens the timed drills for CI. */
export const QUICK = process.env.RELIABILITY_MODE === 'quick';

/** The length of a timed drill: the figure in full mode, the quick one in CI. */
export function drillSeconds(full: number, quick: number): number {
  return QUICK ? quick : full;
}

/** Adds a drill's line to the summary table printed at the end of the run. */
export function report(result: DrillResult): void {
  appendFileSync(SUMMARY_FILE, `${JSON.stringify(result)}\n`);
  console.log(
    `${result.drill}: ${result.inputs} inputs, ${result.failures} failures; ${result.figures}`,
  );
}
