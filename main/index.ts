/**
 * Main-process entry. Wires the real Electron API into {@link startHongyan}, which runs the setup
 * steps in their visible order (see start.ts). Nothing else happens on import.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRealElectron } from './electron-real';
import { createConsoleLogger } from './logger';
import { startHongyan } from './start';

const logger = createConsoleLogger('main');

startHongyan({
  electron: createRealElectron(),
  runtime: {
    platform: process.platform,
    arch: process.arch,
    argv: process.argv,
    env: process.env,
    versions: process.versions,
    mainDir: dirname(fileURLToPath(import.meta.url)),
    resourcesPath: process.resourcesPath,
    execPath: process.execPath,
  },
  createLogger: createConsoleLogger,
}).catch((error: unknown) => {
  logger.error(`start-up failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
