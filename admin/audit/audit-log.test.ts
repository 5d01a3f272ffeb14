import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditAnchor } from './anchor';
import { auditCsv, parseAuditTime } from './audit-command';
import { AuditLog, retentionDaysFrom } from './audit-log';
import { entryHash } from './chain';

let dir: string;
let clock: Date;
let log: AuditLog;

const open = (): AuditLog => new AuditLog(path.join(dir, 'audit.db'), () => clock);

function recordFive(): void {
  for (let i = 1; i <= 5; i += 1) {
    log.record({
      actor: '@admin:gov.example',
      action: 'user.move',
      target: `@user${i}:gov.example`,
      result: 'ok',
      detail: { to: `33010${i}` },
    });
    clock = new Date(clock.getTime() + 60_000);
  }
}

/** An anchor of the log's entry `seq`, as the audit room would hold it. */
function anchorOf(seq: number): AuditAnchor {
  const e = [...log.entries()].find((x) => x.seq === seq);
  if (!e) throw new Error(`no entry ${seq}`);
  return { seq, hash: e.hash, time: e.time, kind: 'head' };
}

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hongyan-audit-'));
  clock = new Date('2026-01-01T08:00:00Z');
  log = open();
  recordFive();
});
afterEach(() => {
  log.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit log', () => {
  it('chains the entries and verifies an untouched log', () => {
    const entries = [...log.entries()];
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < entries.length; i += 1)
      expect(entries[i]?.prevHash).toBe(entries[i - 1]?.hash);
    expect(log.verify([anchorOf(5)])).toEqual({ ok: true, entries: 5, anchorsChecked: 1 });
  });

  it('keeps one chain when two processes append to the same file', () => {
    const other = open();
    other.record({ actor: '@agent:gov.example', action: 'user.add', target: 'x', result: 'ok' });
    log.record({ actor: '@admin:gov.example', action: 'org.apply', target: 'y', result: 'ok' });
    other.close();
    expect(log.verify()).toMatchObject({ ok: true, entries: 7 });
  });

  it('refuses updates and deletions through SQL', () => {
    expect(() => log.tamper("UPDATE audit_entries SET actor = 'x' WHERE seq = 2")).toThrow(
      /append-only/,
    );
    expect(() => log.tamper('DELETE FROM audit_entries WHERE seq = 2')).toThrow(/checkpoint/);
  });

  describe('with the triggers dropped (an attacker holding the file)', () => {
    beforeEach(() =>
      log.tamper('DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_prune_only;'),
    );

    it('names an altered entry', () => {
      log.tamper("UPDATE audit_entries SET target = '@someone-else:gov.example' WHERE seq = 3");
      expect(log.verify().firstBreak).toEqual({
        seq: 3,
        reason: 'entry 3 was altered (its hash does not match)',
      });
    });

    it('names an entry altered and re-hashed, by the link that no longer holds', () => {
      const e = [...log.entries()][2];
      if (!e) throw new Error('no entry 3');
      // Rewriting entry 3 with a valid hash of its own still breaks entry 4's link to it.
      const { hash: _old, ...body } = e;
      const hash = entryHash({ ...body, result: 'error' });
      log.tamper(`UPDATE audit_entries SET result = 'error', hash = '${hash}' WHERE seq = 3`);
      expect(log.verify().firstBreak).toEqual({
        seq: 3,
        reason: 'entry 3 was rewritten: entry 4 does not link to it',
      });
    });

    it('names the gap a deleted entry leaves', () => {
      log.tamper('DELETE FROM audit_entries WHERE seq = 2');
      expect(log.verify().firstBreak).toEqual({ seq: 3, reason: 'entries 2–2 are missing' });
    });

    it('detects two entries swapped', () => {
      log.tamper(`
        UPDATE audit_entries SET seq = -2 WHERE seq = 2;
        UPDATE audit_entries SET seq = 2 WHERE seq = 3;
        UPDATE audit_entries SET seq = 3 WHERE seq = -2;`);
      const v = log.verify();
      expect(v.ok).toBe(false);
      expect(v.firstBreak?.seq).toBe(2);
    });

    it('detects the first entries deleted', () => {
      log.tamper('DELETE FROM audit_entries WHERE seq <= 2');
      expect(log.verify().firstBreak).toEqual({ seq: 3, reason: 'entries 1–2 are missing' });
    });

    it('detects truncation of the tail only against an anchor', () => {
      const anchor = anchorOf(5);
      log.tamper('DELETE FROM audit_entries WHERE seq >= 4');
      expect(log.verify().ok).toBe(true);
      expect(log.verify([anchor]).firstBreak).toEqual({
        seq: 4,
        reason: `the log was truncated: it ends at entry 3, but entry 5 was anchored at ${anchor.time}`,
      });
    });

    it('detects a whole rewritten chain against an anchor', () => {
      const anchor = anchorOf(4);
      const entries = [...log.entries()];
      log.tamper('DELETE FROM audit_entries');
      const fresh = open();
      for (const e of entries)
        fresh.record({ actor: e.actor, action: e.action, target: 'forged', result: e.result });
      fresh.close();
      expect(log.verify().ok).toBe(true);
      expect(log.verify([anchor]).firstBreak?.seq).toBe(4);
    });
  });

  describe('retention', () => {
    it('prunes behind an anchored checkpoint and still verifies', async () => {
      clock = new Date('2026-07-15T00:00:00Z');
      log.record({ actor: '@admin:gov.example', action: 'org.apply', target: 's', result: 'ok' });
      const anchors: AuditAnchor[] = [];
      const r = await log.prune(180, async (a) => void anchors.push(a));
      expect(r.pruned).toBe(5);
      expect(anchors).toEqual([expect.objectContaining({ seq: 5, kind: 'checkpoint' })]);
      expect(log.verify(anchors)).toMatchObject({ ok: true, entries: 1 });
      // A checkpoint that no anchor vouches for (forged to hide a deleted prefix) is named.
      expect(log.verify([]).firstBreak?.reason).toBe('the checkpoint at entry 5 matches no anchor');
    });

    it('keeps at least 180 days', async () => {
      expect(() => retentionDaysFrom('30')).toThrow(/at least 180/);
      expect(retentionDaysFrom(undefined)).toBe(180);
      expect(retentionDaysFrom('365')).toBe(365);
      await expect(log.prune(30, async () => undefined)).rejects.toThrow(/at least 180/);
    });

    it('does not prune when the anchor cannot be written', async () => {
      clock = new Date('2026-12-01T00:00:00Z');
      await expect(
        log.prune(180, async () => {
          throw new Error('homeserver down');
        }),
      ).rejects.toThrow('homeserver down');
      expect(log.verify().entries).toBe(5);
    });
  });

  describe('export', () => {
    it('writes the entries of a time range as CSV with formulas escaped', () => {
      log.record({ actor: '=HYPERLINK("x")', action: 'a', target: 't', result: 'ok' });
      const from = parseAuditTime('2026-01-01T08:01:00Z', '--from');
      const to = parseAuditTime('2026-01-01T08:03:00Z', '--to');
      const csv = auditCsv(log.entries({ from, to }));
      const lines = csv.trim().split('\r\n');
      expect(lines[0]).toBe('seq,time,actor,action,target,result,detail,prev_hash,hash');
      expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['2', '3']);
      expect(auditCsv(log.entries({ from: '2026-01-01T08:05:00.000Z' }))).toContain(`"'=HYPERLINK`);
    });

    it('names a bad date', () => {
      expect(() => parseAuditTime('yesterday', '--from')).toThrow(
        '--from "yesterday" is not a date (use YYYY-MM-DD or an ISO 8601 time)',
      );
      expect(parseAuditTime('2026-06-01', '--to')).toBe('2026-06-01T00:00:00.000Z');
    });
  });
});
