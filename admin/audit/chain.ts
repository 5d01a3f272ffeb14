/**
 * The audit log's hash chain: each entry's hash covers its own fields and the previous entry's hash,
 * so altering, deleting or reordering an entry breaks every link after it. Truncating the tail and
 * rewriting the whole chain are caught against the anchors (see anchor.ts), not here.
 */
import { createHash } from 'node:crypto';

/** How an audited action ended. */
export type AuditResult = 'ok' | 'error' | 'refused';

/** What a caller records. */
export interface AuditRecord {
  /** Who asked for the action: a Matrix user ID, or the admin account plus the OS user. */
  actor: string;
  /** A dotted verb, e.g. `org.apply`, `user.move`, `room.power-levels`. */
  action: string;
  /** What it was done to: a user ID, a unit code, a room alias, a spec file. */
  target: string;
  result: AuditResult;
  /** Extra facts (counts, a refusal reason); never secrets. */
  detail?: Record<string, unknown>;
}

/** One stored entry. */
export interface AuditEntry {
  /** Position in the chain, from 1, without gaps. */
  seq: number;
  /** ISO 8601 UTC time of the record. */
  time: string;
  actor: string;
  action: string;
  target: string;
  result: AuditResult;
  /** `detail` as canonical JSON (`{}` when none). */
  detail: string;
  /** Hash of the entry before (the genesis hash for the first). */
  prevHash: string;
  /** SHA-256 of this entry's fields and `prevHash`, hex. */
  hash: string;
}

/** The chain starts from this "previous hash". */
export const GENESIS_HASH = '0'.repeat(64);

/** A pruned prefix of the chain: the last pruned entry's position and hash. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  /** When the prefix was pruned. */
  time: string;
}

/** JSON with object keys sorted, so a detail hashes the same whoever wrote it. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

/** The hash an entry must carry. */
export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  const fields = [e.seq, e.time, e.actor, e.action, e.target, e.result, e.detail, e.prevHash];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** Builds the entry that follows `prev` (or the checkpoint, or nothing). */
export function nextEntry(
  prev: { seq: number; hash: string } | undefined,
  record: AuditRecord,
  time: Date,
): AuditEntry {
  const body = {
    seq: (prev?.seq ?? 0) + 1,
    time: time.toISOString(),
    actor: record.actor,
    action: record.action,
    target: record.target,
    result: record.result,
    detail: canonicalJson(record.detail ?? {}),
    prevHash: prev?.hash ?? GENESIS_HASH,
  };
  return { ...body, hash: entryHash(body) };
}

/** The first problem found in a chain. */
export interface ChainBreak {
  /** The first entry that does not fit (the one after the gap for a deletion). */
  seq: number;
  reason: string;
}

/**
 * Checks entries (in storage order) against each other and against the checkpoint of a pruned
 * prefix. Returns the first break, or undefined when every link holds.
 */
export function findChainBreak(
  entries: Iterable<AuditEntry>,
  checkpoint?: { seq: number; hash: string },
): ChainBreak | undefined {
  let prev: { seq: number; hash: string } = checkpoint ?? { seq: 0, hash: GENESIS_HASH };
  for (const e of entries) {
    const { hash, ...body } = e;
    if (e.seq !== prev.seq + 1)
      return {
        seq: e.seq,
        reason:
          e.seq > prev.seq + 1
            ? `entries ${prev.seq + 1}–${e.seq - 1} are missing`
            : `entry ${e.seq} is out of order (follows ${prev.seq})`,
      };
    if (entryHash(body) !== hash)
      return { seq: e.seq, reason: `entry ${e.seq} was altered (its hash does not match)` };
    // The entry itself is intact, so the one it should link to was rewritten (or the checkpoint was).
    if (e.prevHash !== prev.hash)
      return prev.seq === (checkpoint?.seq ?? 0)
        ? { seq: e.seq, reason: `entry ${e.seq} does not link to the start of the log` }
        : {
            seq: prev.seq,
            reason: `entry ${prev.seq} was rewritten: entry ${e.seq} does not link to it`,
          };
    prev = e;
  }
  return undefined;
}
