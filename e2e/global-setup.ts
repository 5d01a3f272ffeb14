import { existsSync } from 'node:fs';
import { build } from 'vite';
import { CHROMIUM_PATH } from './browser';

/** Builds the web-mode renderer once for the whole e2e run (the same code the desktop app loads). */
export default async function setup(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`e2e needs Debian's chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
  }
  await build({ configFile: 'vite.web.config.ts', logLevel: 'warn' });
}
