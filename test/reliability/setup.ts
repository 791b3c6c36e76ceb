import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import globalSetup from '../support/global-setup.js';
import { SUMMARY_FILE } from './summary-file.js';

export default function reliabilitySetup(): void {
  globalSetup();
  mkdirSync(dirname(SUMMARY_FILE), { recursive: true });
  rmSync(SUMMARY_FILE, { force: true });
}
