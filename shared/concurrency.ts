/**
 * The one bounded-concurrency pool: provisioning, snapshot reads, token revocation and the
 * benchmarks all run their requests through it.
 */

/** What {@link runBounded} reads of an `AbortSignal` (shared/ has neither the DOM's nor Node's type). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

/**
 * Runs `fn` over `items` (with each item's index) with at most `concurrency` in flight. Stops
 * starting new items after the first failure or an abort, and rethrows that failure (or the
 * signal's reason) once the ones in flight have settled, so nothing is left running behind it.
 */
export async function runBounded<T>(opts: {
  items: readonly T[];
  concurrency: number;
  signal?: AbortSignalLike;
  fn: (item: T, index: number) => Promise<void>;
}): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < opts.items.length) {
      if (opts.signal?.aborted) {
        failure = { err: opts.signal.reason };
        return;
      }
      const index = next;
      next += 1;
      try {
        await opts.fn(opts.items[index] as T, index);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.items.length)) }, worker),
  );
  if (failure !== undefined) throw failure.err;
}
