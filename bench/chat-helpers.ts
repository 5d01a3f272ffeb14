/**
 * Shared set-up of the chat benchmarks: a test homeserver, users signed in through the app's own
 * ClientManager (Rust crypto), and percentile maths.
 */
import type { MatrixClient } from 'matrix-js-sdk';
import type { TestHomeserver } from '../homeserver/testing';
import {
  ClientManager,
  quietLogger,
  type StartOptions,
} from '../renderer/src/matrix/client-manager';
import { waitForFirstSync } from '../renderer/src/matrix/wait-for';

/** Password of every benchmark user. */
/** The figures an encrypted-send benchmark reports against plain sends of the same messages. */
export interface EncryptedSendFigures {
  /** "Send" → accepted, encryption prepared while composing (as the app sends). */
  encryptedMs: number;
  /** "Send" → accepted with nothing prepared before "send". */
  coldMs: number;
  /** The same messages sent unencrypted. */
  plainMs: number;
  /** `encryptedMs / plainMs`. */
  ratio: number;
  withinTarget: boolean;
}

export const BENCH_PASSWORD = 'Bench-Password-1';

/** A signed-in benchmark user. */
export interface BenchUser {
  manager: ClientManager;
  client: MatrixClient;
}

/** Logs `username` in through the app's ClientManager and waits for the first sync. */
export async function signInBenchUser(
  hs: TestHomeserver,
  username: string,
  options: StartOptions = { persistent: false, logger: quietLogger },
): Promise<BenchUser> {
  const manager = new ClientManager();
  const result = await manager.login({
    homeserverUrl: hs.baseUrl,
    username,
    password: BENCH_PASSWORD,
    deviceDisplayName: 'bench',
  });
  if (!result.ok) throw new Error(`bench login of ${username} failed: ${result.error.kind}`);
  const client = await manager.start(result.credentials, options);
  await waitForFirstSync(client, 300_000);
  return { manager, client };
}

/** The p-th percentile (0–100) of `values`, nearest-rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? NaN;
}

/** `value` beside its target, with a mark when it misses. */
export function versusTarget(value: number, target: number, unit = 'ms'): string {
  return `${value.toFixed(1)} ${unit} (target ≤ ${target} ${unit}${value <= target ? ', met' : ', MISSED'})`;
}

/**
 * Whether an unhandled rejection is a stopped client's cancelled request. Stopping a benchmark's
 * clients aborts their requests in flight and the SDK leaves some of those rejections unhandled;
 * a cancelled request is no failure, anything else is.
 */
export function isAbortOfStoppedClient(reason: unknown): boolean {
  return (reason as { name?: unknown } | null)?.name === 'AbortError';
}
