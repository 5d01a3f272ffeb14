import { readFile, rename, writeFile } from 'node:fs/promises';
import type { SealedStore } from '../renderer/src/circulars/custodian-seal';

/**
 * The key custodian's sealed sessions in one file (owner-only), replaced atomically: written
 * beside it, then renamed over it, so a crash mid-write leaves the previous seal intact.
 */
export function sealedFileStore(path: string): SealedStore {
  return {
    async load() {
      try {
        return new Uint8Array(await readFile(path));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new Error(`key custodian: cannot read ${path}: ${(err as Error).message}`);
      }
    },
    async save(sealed) {
      const tmp = `${path}.tmp`;
      await writeFile(tmp, sealed, { mode: 0o600 });
      await rename(tmp, path);
    },
  };
}
