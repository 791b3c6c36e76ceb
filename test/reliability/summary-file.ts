// Shared by the drills and by the global setup and teardown, which run outside Jest's module
// system: plain Node only.
export const SUMMARY_FILE = 'test-artifacts/reliability/summary.jsonl';

/** One line of the summary table: what a drill tried, how often it failed, what it measured. */
export interface DrillResult {
  drill: string;
  inputs: number;
  failures: number;
  figures: string;
}
