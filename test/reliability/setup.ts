import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

// Jest runs this file outside its module system, where the `.js` names of our TypeScript files do
// not resolve; its require hook still compiles them when they are named as they are.
const require = createRequire(import.meta.url);
const { default: globalSetup } =
  require('../support/global-setup.ts') as typeof import('../support/global-setup.js');
const { SUMMARY_FILE } = require('./summary-file.ts') as typeof import('./summary-file.js');

export default function reliabilitySetup(): void {
  globalSetup();
  mkdirSync(dirname(SUMMARY_FILE), { recursive: true });
  rmSync(SUMMARY_FILE, { force: true });
}
