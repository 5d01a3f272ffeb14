/**
 * The audit log of administrative actions (see docs/audit.md): what the admin CLI and the org agent
 * call. `record` appends a hash-chained entry; `anchor` writes the chain head into the audit room;
 * `verify` checks the chain and, given the anchors, truncation and rewrites; `prune` drops entries
 * past the retention behind an anchored checkpoint, so the rest still verifies.
 */
import path from 'node:path';
import { DEFAULT_DATA_DIR } from '../../homeserver/paths';
import { whoAmI } from '../snapshot-reader';
import type { AdminIdentity } from '../snapshot-reader';
import type { SynapseClient } from '../synapse-client';
import { ensureAuditRoom, readAnchors, writeAnchor } from './anchor';
import type { AuditAnchor } from './anchor';
import { findChainBreak } from './chain';
import type { AuditCheckpoint, AuditEntry, AuditRecord, ChainBreak } from './chain';
import { SqliteAuditStore } from './sqlite-store';

/** 等保 2.0 asks for six months at least; shorter retention is refused. */
export const MIN_RETENTION_DAYS = 180;

/** The audit database: `HONGYAN_AUDIT_DB`, else `audit.db` in the kit's data directory. */
export function defaultAuditFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.HONGYAN_AUDIT_DB ?? path.join(DEFAULT_DATA_DIR, 'audit.db');
}

/** Retention in days from `HONGYAN_AUDIT_RETENTION_DAYS` (default and minimum 180). */
export function retentionDaysFrom(value: string | undefined): number {
  if (value === undefined || value === '') return MIN_RETENTION_DAYS;
  const days = Number(value);
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS)
    throw new Error(
      `audit retention must be a whole number of days, at least ${MIN_RETENTION_DAYS} (got "${value}")`,
    );
  return days;
}

/** Outcome of {@link AuditLog.verify}. */
export interface AuditVerification {
  ok: boolean;
  /** Entries checked. */
  entries: number;
  /** The first broken entry, when not ok. */
  firstBreak?: ChainBreak;
  /** Anchors compared (undefined when verified offline). */
  anchorsChecked?: number;
}

/** One open audit log. */
export class AuditLog {
  private readonly store: SqliteAuditStore;

  constructor(
    readonly file: string = defaultAuditFile(),
    private readonly now: () => Date = () => new Date(),
  ) {
    this.store = new SqliteAuditStore(file);
  }

  /** Appends one entry; returns it. */
  record(record: AuditRecord): AuditEntry {
    return this.store.append(record, this.now());
  }

  /** The newest chain position, if any. */
  head(): { seq: number; hash: string } | undefined {
    return this.store.head();
  }

  /** Entries recorded in [from, to) (ISO times), oldest first. */
  entries(range: { from?: string; to?: string } = {}): Iterable<AuditEntry> {
    return this.store.entries(range);
  }

  /** Checks the chain, and against the anchors when given. */
  verify(anchors?: readonly AuditAnchor[]): AuditVerification {
    const checkpoint = this.store.checkpoint();
    let entries = 0;
    const counted = (function* (it: Iterable<AuditEntry>) {
      for (const e of it) {
        entries += 1;
        yield e;
      }
    })(this.store.entries());
    const breaks: ChainBreak[] = [];
    const chainBreak = findChainBreak(counted, checkpoint);
    if (chainBreak) breaks.push(chainBreak);
    if (anchors) breaks.push(...this.anchorBreaks(anchors, checkpoint));
    const firstBreak = breaks.sort((a, b) => a.seq - b.seq)[0];
    return {
      ok: firstBreak === undefined,
      entries,
      ...(firstBreak ? { firstBreak } : {}),
      ...(anchors ? { anchorsChecked: anchors.length } : {}),
    };
  }

  private anchorBreaks(
    anchors: readonly AuditAnchor[],
    checkpoint: AuditCheckpoint | undefined,
  ): ChainBreak[] {
    const out: ChainBreak[] = [];
    const head = this.store.head();
    const cut = checkpoint?.seq ?? 0;
    if (checkpoint && !anchors.some((a) => a.seq === cut && a.hash === checkpoint.hash))
      out.push({ seq: cut + 1, reason: `the checkpoint at entry ${cut} matches no anchor` });
    for (const a of anchors) {
      if (a.seq <= cut) continue;
      if (head === undefined || a.seq > head.seq) {
        out.push({
          seq: (head?.seq ?? cut) + 1,
          reason: `the log was truncated: it ends at entry ${head?.seq ?? cut}, but entry ${a.seq} was anchored at ${a.time}`,
        });
        break;
      }
      const e = this.store.entry(a.seq);
      if (e?.hash !== a.hash)
        out.push({
          seq: a.seq,
          reason: `entry ${a.seq} differs from its anchor of ${a.time}: the log was rewritten at or before it`,
        });
    }
    return out;
  }

  /**
   * Drops entries older than the retention. The last dropped entry becomes a checkpoint, anchored
   * first (through `anchor`) so the shortened chain still verifies against the room.
   */
  async prune(
    retentionDays: number,
    anchor: (a: AuditAnchor) => Promise<void>,
  ): Promise<{ pruned: number; checkpoint?: AuditCheckpoint }> {
    if (retentionDays < MIN_RETENTION_DAYS)
      throw new Error(`audit retention must be at least ${MIN_RETENTION_DAYS} days`);
    const cutoff = new Date(this.now().getTime() - retentionDays * 86_400_000).toISOString();
    const last = this.store.lastBefore(cutoff);
    if (!last) return { pruned: 0 };
    const checkpoint = { seq: last.seq, hash: last.hash, time: this.now().toISOString() };
    await anchor({ ...checkpoint, kind: 'checkpoint' });
    return { pruned: this.store.pruneThrough(checkpoint), checkpoint };
  }

  /** For tests that play an attacker with the database file. */
  tamper(sql: string): void {
    this.store.unsafeExec(sql);
  }

  close(): void {
    this.store.close();
  }
}

/** The audit room of a server, for anchoring and verifying. */
export class AuditRoom {
  private constructor(
    private readonly client: SynapseClient,
    private readonly identity: AdminIdentity,
    readonly roomId: string,
  ) {}

  /** Finds (or creates) the audit room as the provisioning account. */
  static async open(client: SynapseClient, identity?: AdminIdentity): Promise<AuditRoom> {
    const who = identity ?? (await whoAmI(client));
    return new AuditRoom(client, who, await ensureAuditRoom(client, who));
  }

  /** Writes the log's head when it moved since the last anchor; returns the anchor written. */
  async anchorHead(log: AuditLog): Promise<AuditAnchor | undefined> {
    const head = log.head();
    if (!head) return undefined;
    const anchors = await this.anchors();
    if (anchors.at(-1)?.seq === head.seq) return undefined;
    const anchor: AuditAnchor = { ...head, time: new Date().toISOString(), kind: 'head' };
    await writeAnchor(this.client, this.roomId, anchor);
    return anchor;
  }

  /** Writes a checkpoint anchor (used by {@link AuditLog.prune}). */
  async write(anchor: AuditAnchor): Promise<void> {
    await writeAnchor(this.client, this.roomId, anchor);
  }

  anchors(): Promise<AuditAnchor[]> {
    return readAnchors(this.client, this.roomId, this.identity);
  }
}
