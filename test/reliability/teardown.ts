import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DrillResult } from './summary-file.js';

// As in setup.ts: outside Jest's module system, our TypeScript files load by their own names.
const require = createRequire(import.meta.url);
const { default: globalTeardown } =
  require('../support/global-teardown.ts') as typeof import('../support/global-teardown.js');
const { SUMMARY_FILE } = require('./summary-file.ts') as typeof import('./summary-file.js');

/** Prints the drills' summary table and keeps it as JSON beside the lines it was made from. */
export default async function reliabilityTeardown(): Promise<void> {
  await globalTeardown();
  const results: DrillResult[] = existsSync(SUMMARY_FILE)
    ? readFileSync(SUMMARY_FILE, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];
  writeFileSync(SUMMARY_FILE.replace(/\.jsonl$/, '.json'), JSON.stringify(results, null, 2));
  const width = Math.max(5, ...results.map((result) => result.drill.length));
  const lines = [
    `${'Drill'.padEnd(width)}  ${'inputs'.padStart(8)}  ${'failures'.padStart(8)}  figures`,
    ...results.map(
      (result) =>
        `${result.drill.padEnd(width)}  ${String(result.inputs).padStart(8)}  ${String(result.failures).padStart(8)}  ${result.figures}`,
    ),
  ];
  console.log(
    `\nReliability drills (${process.env.RELIABILITY_MODE ?? 'full'} mode)\n${lines.join('\n')}\n`,
  );
}
