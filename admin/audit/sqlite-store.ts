/**
 * The audit log's SQLite storage (Node's built-in `node:sqlite`, so no native dependency). Several
 * processes may append at once (the admin CLI and the org agent): each append is one IMMEDIATE
 * transaction that reads the head and writes the next entry, so the chain never forks. Triggers
 * refuse updates and any deletion beyond the last checkpoint; someone with the file can drop them,
 * which is what the hash chain and the anchors are for.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { nextEntry } from './chain';
import type { AuditCheckpoint, AuditEntry, AuditRecord, AuditResult } from './chain';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_entries (
  seq INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  result TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_entries_time ON audit_entries(time);
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  seq INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  time TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_entries_prune_only BEFORE DELETE ON audit_entries
WHEN old.seq > COALESCE((SELECT MAX(seq) FROM audit_checkpoints), 0)
BEGIN SELECT RAISE(ABORT, 'only entries behind a checkpoint may be deleted'); END;
`;

interface EntryRow {
  seq: number;
  time: string;
  actor: string;
  action: string;
  target: string;
  result: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

function toEntry(r: EntryRow): AuditEntry {
  return {
    seq: r.seq,
    time: r.time,
    actor: r.actor,
    action: r.action,
    target: r.target,
    result: r.result as AuditResult,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** One audit database file. */
export class SqliteAuditStore {
  private readonly db: DatabaseSync;

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.db = new DatabaseSync(file);
    chmodSync(file, 0o600);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000;');
    this.db.exec(SCHEMA);
  }

  private inTransaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const value = fn();
      this.db.exec('COMMIT');
      return value;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** The newest entry, or else the newest checkpoint (all entries pruned), or undefined. */
  head(): { seq: number; hash: string } | undefined {
    const row = this.db
      .prepare('SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1')
      .get() as { seq: number; hash: string } | undefined;
    return row ?? this.checkpoint();
  }

  /** Appends the record after the current head, atomically. */
  append(record: AuditRecord, time: Date): AuditEntry {
    return this.inTransaction(() => {
      const e = nextEntry(this.head(), record, time);
      this.db
        .prepare(
          'INSERT INTO audit_entries (seq, time, actor, action, target, result, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(e.seq, e.time, e.actor, e.action, e.target, e.result, e.detail, e.prevHash, e.hash);
      return e;
    });
  }

  /** Entries in storage order (rowid order, which is what an attacker reorders). */
  *entries(range: { from?: string; to?: string } = {}): Generator<AuditEntry> {
    const stmt = this.db.prepare(
      'SELECT * FROM audit_entries WHERE time >= ? AND time < ? ORDER BY rowid',
    );
    for (const row of stmt.iterate(range.from ?? '', range.to ?? '\uffff'))
      yield toEntry(row as unknown as EntryRow);
  }

  /** The entry at `seq`, if stored. */
  entry(seq: number): AuditEntry | undefined {
    const row = this.db.prepare('SELECT * FROM audit_entries WHERE seq = ?').get(seq);
    return row ? toEntry(row as unknown as EntryRow) : undefined;
  }

  /** The newest checkpoint: where the stored chain starts. */
  checkpoint(): AuditCheckpoint | undefined {
    return this.db
      .prepare('SELECT seq, hash, time FROM audit_checkpoints ORDER BY seq DESC LIMIT 1')
      .get() as AuditCheckpoint | undefined;
  }

  /** The last entry recorded before `time` (the candidate checkpoint of a prune). */
  lastBefore(time: string): AuditEntry | undefined {
    const row = this.db
      .prepare('SELECT * FROM audit_entries WHERE time < ? ORDER BY seq DESC LIMIT 1')
      .get(time);
    return row ? toEntry(row as unknown as EntryRow) : undefined;
  }

  /** Records the checkpoint and deletes every entry up to it, in one transaction. */
  pruneThrough(checkpoint: AuditCheckpoint): number {
    return this.inTransaction(() => {
      this.db
        .prepare('INSERT OR IGNORE INTO audit_checkpoints (seq, hash, time) VALUES (?, ?, ?)')
        .run(checkpoint.seq, checkpoint.hash, checkpoint.time);
      return Number(
        this.db.prepare('DELETE FROM audit_entries WHERE seq <= ?').run(checkpoint.seq).changes,
      );
    });
  }

  /** Raw access for tests that play the attacker. */
  unsafeExec(sql: string): void {
    this.db.exec(sql);
  }

  close(): void {
    this.db.close();
  }
}
