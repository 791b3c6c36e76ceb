import { join } from 'node:path';

/** Where the browser specs leave their screenshots, as test artefacts to look at. */
export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
