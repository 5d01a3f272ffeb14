/**
 * Diverts everything written through `console` (the SDK's trace, debug, warning and error lines,
 * the Rust crypto's tracing output) to a log file, so a report printed straight to stdout stays
 * readable. Nothing is lost: the lines are in the file, and the caller can say how many there were.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';

const METHODS = ['log', 'info', 'debug', 'trace', 'warn', 'error'] as const;

/** A console capture in place. */
export interface ConsoleCapture {
  /** Lines written to the file so far. */
  lines(): number;
  /** Puts the console back and closes the file. */
  restore(): Promise<void>;
}

/** Sends every console method to `file` (created, with its folder, and truncated). */
export function captureConsole(file: string): ConsoleCapture {
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(file, { flags: 'w' });
  const saved = METHODS.map((m) => [m, console[m]] as const);
  let count = 0;
  for (const method of METHODS) {
    console[method] = (...args: unknown[]) => {
      const text = format(...args);
      count += text.split('\n').length;
      out.write(`[${method}] ${text}\n`);
    };
  }
  return {
    lines: () => count,
    restore: () =>
      new Promise<void>((resolve) => {
        for (const [method, fn] of saved) console[method] = fn;
        out.end(resolve);
      }),
  };
}
