/**
 * A small scoped logger for the main process. Messages are plain strings written by the caller;
 * callers never pass request payloads, tokens or secret values, only names and reasons.
 */

/** Where log lines go. Tests pass a {@link MemoryLogger}. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Creates a logger that prefixes every line with `[hongyan:<scope>]` and writes to the console. */
export function createConsoleLogger(scope: string): Logger {
  const prefix = `[hongyan:${scope}]`;
  return {
    info: (message) => console.info(prefix, message),
    warn: (message) => console.warn(prefix, message),
    error: (message) => console.error(prefix, message),
  };
}

/** One recorded log line. */
export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** A logger that keeps lines in memory, for tests and for checking that nothing secret was logged. */
export interface MemoryLogger extends Logger {
  readonly lines: LogLine[];
  /** Every message joined, for `toContain` / `not.toContain` checks. */
  text(): string;
}

/** Creates a {@link MemoryLogger}. */
export function createMemoryLogger(): MemoryLogger {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message) => lines.push({ level: 'warn', message }),
    error: (message) => lines.push({ level: 'error', message }),
    text: () => lines.map((l) => `${l.level}: ${l.message}`).join('\n'),
  };
}
