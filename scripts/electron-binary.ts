import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Path of an executable Electron binary, or why there is none. Deliberately does not
 * `require('electron')`: when the binary is missing, that call tries to download it from the
 * internet, which these machines must not do.
 */
export function findElectronBinary(
  env: Readonly<Record<string, string | undefined>> = process.env,
): { path: string } | { missing: string } {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const overrideDir = env['ELECTRON_OVERRIDE_DIST_PATH'];
  let path: string;
  if (overrideDir) path = join(overrideDir, relative ?? 'electron');
  else if (relative) path = join(packageDir, 'dist', relative);
  else
    return {
      missing: 'Electron binary not downloaded (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)',
    };
  if (!existsSync(path)) return { missing: `Electron binary not found at ${path}` };
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return { missing: `Electron binary at ${path} is not executable` };
  }
  return { path };
}
