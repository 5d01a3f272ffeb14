/**
 * Audit reports: what a client tells the org agent about an action that happens only in the client
 * (end-to-end encrypted, or producing no event at all), so that the server-side audit log records
 * it (docs/audit.md). A report names the action, the circular and the rooms involved; never a
 * title, a text or a person's data. The agent takes the actor from the Matrix sender, not from
 * the report, and checks what it can against the rooms' state.
 */

/** A circular's copies went out to `rooms` (the issuer pressed Send). */
export interface CircularIssueReport {
  action: 'circular.issue';
  circularId: string;
  rooms: string[];
}

/** A 催办 round: reminders to `users` pending recipients in `rooms`. */
export interface CircularRemindReport {
  action: 'circular.remind';
  circularId: string;
  rooms: string[];
  users: number;
}

/** The ack report of a circular (its copies in `rooms`) was exported with `rows` recipients. */
export interface CircularExportReport {
  action: 'circular.export';
  circularId: string;
  rooms: string[];
  format: 'csv' | 'xlsx';
  rows: number;
}

/** The user signed in on device `deviceId` (recorded when the user is an administrator). */
export interface SessionLoginReport {
  action: 'session.login';
  deviceId: string;
}

export type AuditReport =
  CircularIssueReport | CircularRemindReport | CircularExportReport | SessionLoginReport;

/** Rooms a report may name: a province fan-out reaches a few hundred notice rooms. */
export const MAX_REPORT_ROOMS = 2000;

type Parsed = { ok: true; report: AuditReport } | { ok: false; error: string };

const isRoomId = (v: unknown): v is string =>
  typeof v === 'string' && /^![^\s:]{1,255}:[^\s]{1,255}$/.test(v);
const isId = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= 255 && !/\s/.test(v);
const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 10_000_000;

function roomsOf(content: Record<string, unknown>): string[] | string {
  const rooms = content.rooms;
  // An export may cover a circular nobody received; an issue or a 催办 always names rooms.
  const mayBeEmpty = content.action === 'circular.export';
  if (!Array.isArray(rooms) || (rooms.length === 0 && !mayBeEmpty))
    return 'rooms must be a non-empty list';
  if (rooms.length > MAX_REPORT_ROOMS) return `rooms lists more than ${MAX_REPORT_ROOMS}`;
  const bad = rooms.findIndex((r) => !isRoomId(r));
  if (bad >= 0) return `rooms[${bad}] is not a room ID`;
  return [...new Set(rooms as string[])];
}

/** Checks a received report; the error names the field at fault. */
export function parseAuditReport(content: unknown): Parsed {
  if (typeof content !== 'object' || content === null || Array.isArray(content))
    return { ok: false, error: 'the report is not an object' };
  const c = content as Record<string, unknown>;
  if (c.action === 'session.login') {
    if (!isId(c.deviceId)) return { ok: false, error: 'deviceId is missing or malformed' };
    return { ok: true, report: { action: 'session.login', deviceId: c.deviceId } };
  }
  if (
    c.action !== 'circular.issue' &&
    c.action !== 'circular.remind' &&
    c.action !== 'circular.export'
  )
    return { ok: false, error: `unknown action ${JSON.stringify(c.action)?.slice(0, 60)}` };
  if (!isId(c.circularId)) return { ok: false, error: 'circularId is missing or malformed' };
  const rooms = roomsOf(c);
  if (typeof rooms === 'string') return { ok: false, error: rooms };
  const circularId = c.circularId;
  switch (c.action) {
    case 'circular.issue':
      return { ok: true, report: { action: c.action, circularId, rooms } };
    case 'circular.remind':
      if (!isCount(c.users)) return { ok: false, error: 'users must be a whole number' };
      return { ok: true, report: { action: c.action, circularId, rooms, users: c.users } };
    case 'circular.export':
      if (c.format !== 'csv' && c.format !== 'xlsx')
        return { ok: false, error: 'format must be csv or xlsx' };
      if (!isCount(c.rows)) return { ok: false, error: 'rows must be a whole number' };
      return {
        ok: true,
        report: { action: c.action, circularId, rooms, format: c.format, rows: c.rows },
      };
  }
}
