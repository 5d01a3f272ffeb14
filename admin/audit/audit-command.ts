/**
 * `npm run admin -- audit <verify|export|anchor|prune>`, and {@link audited}, which the admin CLI
 * wraps around each administrative command so that it is recorded and anchored.
 */
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import Papa from 'papaparse';
import { whoAmI } from '../snapshot-reader';
import { SynapseClient } from '../synapse-client';
import { AuditLog, AuditRoom, retentionDaysFrom } from './audit-log';
import type { AuditEntry } from './chain';

/** Where the homeserver is, when the command has it. */
export interface AuditConnection {
  homeserverUrl: string;
  adminToken: string;
}

/** Options of {@link runAuditCommand}. */
export interface AuditCommandOptions {
  /** The audit database file. */
  file: string;
  /** Needed by anchor and prune; verify checks the anchors when given. */
  connection?: () => Promise<AuditConnection>;
  from?: string;
  to?: string;
  out?: string;
  retentionDays?: string;
  print?: (line: string) => void;
}

/** A `--from`/`--to` value: a date (`2026-06-01`, midnight UTC) or a full ISO time. */
export function parseAuditTime(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  const t = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(t.getTime()))
    throw new Error(`${option} "${value}" is not a date (use YYYY-MM-DD or an ISO 8601 time)`);
  return t.toISOString();
}

/** The entries as CSV; cells that a spreadsheet would run as formulas are escaped. */
export function auditCsv(entries: Iterable<AuditEntry>): string {
  const rows = [...entries].map((e) => ({
    seq: e.seq,
    time: e.time,
    actor: e.actor,
    action: e.action,
    target: e.target,
    result: e.result,
    detail: e.detail,
    prev_hash: e.prevHash,
    hash: e.hash,
  }));
  const columns = [
    'seq',
    'time',
    'actor',
    'action',
    'target',
    'result',
    'detail',
    'prev_hash',
    'hash',
  ];
  return `${Papa.unparse({ fields: columns, data: rows.map((r) => columns.map((c) => r[c as keyof typeof r])) }, { escapeFormulae: true })}\n`;
}

async function auditRoom(connection: AuditCommandOptions['connection']): Promise<AuditRoom> {
  if (!connection) throw new Error('this audit command needs the homeserver connection');
  const { homeserverUrl, adminToken } = await connection();
  return AuditRoom.open(new SynapseClient({ baseUrl: homeserverUrl, token: adminToken }));
}

/** Runs one audit subcommand; returns the exit code (1 when verify finds a break). */
export async function runAuditCommand(
  sub: string | undefined,
  opts: AuditCommandOptions,
): Promise<number> {
  const print = opts.print ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const log = new AuditLog(opts.file);
  try {
    switch (sub) {
      case 'verify': {
        const anchors = opts.connection
          ? await (await auditRoom(opts.connection)).anchors()
          : undefined;
        const v = log.verify(anchors);
        if (!v.ok && v.firstBreak) {
          print(`audit: BROKEN at entry ${v.firstBreak.seq}: ${v.firstBreak.reason}`);
          return 1;
        }
        print(
          `audit: OK, ${v.entries} entries, ${anchors ? `${anchors.length} anchors checked` : 'anchors not checked (no homeserver given)'}`,
        );
        return 0;
      }
      case 'export': {
        const from = parseAuditTime(opts.from, '--from');
        const to = parseAuditTime(opts.to, '--to');
        const csv = auditCsv(log.entries({ ...(from ? { from } : {}), ...(to ? { to } : {}) }));
        if (opts.out === undefined) process.stdout.write(csv);
        else {
          await writeFile(opts.out, csv, { mode: 0o600 });
          print(`Wrote ${csv.split('\n').length - 2} audit entries to ${opts.out}.`);
        }
        return 0;
      }
      case 'anchor': {
        const anchor = await (await auditRoom(opts.connection)).anchorHead(log);
        print(anchor ? `Anchored entry ${anchor.seq}.` : 'The head is already anchored.');
        return 0;
      }
      case 'prune': {
        const days = retentionDaysFrom(
          opts.retentionDays ?? process.env.HONGYAN_AUDIT_RETENTION_DAYS,
        );
        const room = await auditRoom(opts.connection);
        const r = await log.prune(days, (a) => room.write(a));
        print(
          r.checkpoint
            ? `Pruned ${r.pruned} entries older than ${days} days; the chain now starts after entry ${r.checkpoint.seq}.`
            : `Nothing older than ${days} days.`,
        );
        return 0;
      }
      default:
        throw new Error(`unknown audit command "${sub ?? ''}" (verify, export, anchor, prune)`);
    }
  } finally {
    log.close();
  }
}

/** What one audited command did. */
export interface AuditedAction {
  action: string;
  target: string;
  /** Facts known before running (never secrets). */
  detail?: Record<string, unknown>;
}

/** What a finished command adds to its entry, and further entries (one per power-level change). */
export interface AuditOutcome {
  detail?: Record<string, unknown>;
  extra?: AuditedAction[];
}

/**
 * Runs an administrative command, records it (ok or error) under the admin account and the OS user
 * who ran it, plus the extra entries its outcome names, then anchors the chain head. An anchoring
 * failure is reported but does not fail a command that already ran.
 */
export async function audited<T>(
  opts: { file: string; connection: AuditConnection; warn?: (line: string) => void },
  what: AuditedAction,
  run: () => Promise<T>,
  outcome: (result: T) => AuditOutcome = () => ({}),
): Promise<T> {
  const client = new SynapseClient({
    baseUrl: opts.connection.homeserverUrl,
    token: opts.connection.adminToken,
  });
  const identity = await whoAmI(client);
  const actor = identity.adminUserId;
  const who = { osUser: userInfo().username };
  const log = new AuditLog(opts.file);
  try {
    let result: T;
    try {
      result = await run();
    } catch (err) {
      log.record({
        actor,
        action: what.action,
        target: what.target,
        result: 'error',
        detail: { ...who, ...what.detail, error: (err as Error).message },
      });
      throw err;
    }
    const o = outcome(result);
    log.record({
      actor,
      action: what.action,
      target: what.target,
      result: 'ok',
      detail: { ...who, ...what.detail, ...o.detail },
    });
    for (const e of o.extra ?? [])
      log.record({
        actor,
        action: e.action,
        target: e.target,
        result: 'ok',
        detail: { ...who, ...e.detail },
      });
    return result;
  } finally {
    try {
      await (await AuditRoom.open(client, identity)).anchorHead(log);
    } catch (err) {
      (opts.warn ?? ((l: string) => void process.stderr.write(`${l}\n`)))(
        `warning: the audit log could not be anchored: ${(err as Error).message}`,
      );
    }
    log.close();
  }
}
