/**
 * An expected failure of the homeserver kit (bad input, a taken port, Synapse refusing its
 * config). The CLI prints its message and details without a stack trace and exits non-zero;
 * anything else that escapes is a bug and keeps its stack.
 */
export class KitError extends Error {
  /** Extra lines shown under the message, e.g. the relevant lines of Synapse's own error. */
  readonly details: readonly string[];
  /** Machine-readable reason, for callers that react to one kind of failure. */
  readonly code: KitErrorCode;

  constructor(
    message: string,
    opts: { code?: KitErrorCode; details?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'KitError';
    this.code = opts.code ?? 'invalid-input';
    this.details = opts.details ?? [];
  }
}

/** Kinds of expected failure. */
export type KitErrorCode =
  | 'invalid-input'
  | 'port-in-use'
  | 'python-missing'
  | 'install-failed'
  | 'synapse-config'
  | 'synapse-exited'
  | 'start-timeout'
  | 'stop-failed'
  | 'not-running'
  | 'user-exists'
  | 'admin-api'
  | 'database'
  | 'missing-package'
  | 'worker-failed';

/** Formats an error for the terminal: a KitError as its message and details, anything else with its stack. */
export function formatError(err: unknown): string {
  if (err instanceof KitError) {
    return [err.message, ...err.details.map((line) => `  ${line}`)].join('\n');
  }
  if (err instanceof Error) return err.stack ?? err.message;
  return String(err);
}
