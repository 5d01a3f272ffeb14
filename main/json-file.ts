/**
 * Small JSON file helpers for the main process's state files (config, window bounds, sealed secrets):
 * reads that tell "missing" apart from "broken" with a message naming the file, and atomic writes
 * (temp file + rename) so a crash never leaves a half-written file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Outcome of reading a JSON file. */
export type JsonReadResult =
  { kind: 'missing' } | { kind: 'ok'; value: unknown } | { kind: 'error'; message: string };

/** Reads and parses a JSON file. A missing file is not an error; anything else that fails is, with the path. */
export function readJsonFileSync(path: string): JsonReadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return {
      kind: 'error',
      message: `${path}: cannot be read (${code ?? (error as Error).message})`,
    };
  }
  try {
    // A UTF-8 byte-order mark (Notepad adds one) is not a reason to reject an admin's file.
    return { kind: 'ok', value: JSON.parse(text.replace(/^\uFEFF/, '')) as unknown };
  } catch (error) {
    return { kind: 'error', message: `${path}: not valid JSON (${(error as Error).message})` };
  }
}

/** Options of the atomic writers. */
export interface WriteOptions {
  /** File mode; state files holding secrets use 0o600. */
  mode?: number;
}

function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${Date.now()}.tmp`;
}

/** Writes `value` as JSON atomically, creating the folder if needed. */
export async function writeJsonFileAtomic(
  path: string,
  value: unknown,
  options: WriteOptions = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: options.mode ?? 0o644 });
  await rename(temp, path);
}

/** Synchronous twin of {@link writeJsonFileAtomic}, for writes that must finish before the app exits. */
export function writeJsonFileAtomicSync(
  path: string,
  value: unknown,
  options: WriteOptions = {},
): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: options.mode ?? 0o644 });
  renameSync(temp, path);
}
