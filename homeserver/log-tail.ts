import { open, stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

const TAIL_WINDOW = 512 * 1024;

async function readRange(file: string, start: number, end: number): Promise<string> {
  if (end <= start) return '';
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buf, 0, buf.length, start);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

/** Writes the last `lines` lines of a log file (reading only its end, however big the file). */
export async function printLogTail(
  file: string,
  lines: number,
  write: (chunk: string) => void,
): Promise<void> {
  const size = await sizeOf(file);
  if (size === undefined) return;
  const text = await readRange(file, Math.max(0, size - TAIL_WINDOW), size);
  const all = text.split('\n');
  if (all.at(-1) === '') all.pop();
  const tail = all.slice(-lines);
  if (tail.length > 0) write(`${tail.join('\n')}\n`);
}

/**
 * Writes whatever is appended to a log file until `signal` aborts (or forever). A file that
 * shrinks was rotated by a restart, so reading starts again from its beginning.
 */
export async function followLog(
  file: string,
  write: (chunk: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  let position = (await sizeOf(file)) ?? 0;
  while (!signal?.aborted) {
    const size = await sizeOf(file);
    if (size !== undefined) {
      if (size < position) position = 0;
      if (size > position) {
        write(await readRange(file, position, size));
        position = size;
      }
    }
    try {
      await delay(250, undefined, signal ? { signal } : undefined);
    } catch {
      return; // aborted
    }
  }
}
