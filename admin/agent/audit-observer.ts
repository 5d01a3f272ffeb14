/**
 * What the org agent records beyond the requests it answers (docs/audit.md):
 *
 * - client audit reports (`cn.hongyan.audit_report` to-device events): circular issue, 催办 and
 *   ack-report export, checked against the named rooms' power levels (the sender must be able to
 *   post there, else the entry says `refused`), and sign-ins, recorded as `admin.login` when the
 *   sender is a server admin or a unit admin and the device is theirs;
 * - power-level changes in every room the provisioning account is in, made by anyone but that
 *   account (whose own changes `admin apply` records), with the users whose level changed.
 *
 * The actor is always the Matrix sender, which the homeserver vouches for; nothing a report says
 * about who did it is believed.
 */
import { parseAuditReport, type AuditReport } from '../../shared/audit/audit-report';
import { AUDIT_REPORT_EVENT, UNIT_STATE_EVENT } from '../../shared/matrix-types';
import type { AuditLog } from '../audit/audit-log';
import type { AuditRecord } from '../audit/chain';
import { seg, type SynapseClient } from '../synapse-client';

/** The parts of a sync response the observer reads. */
export interface ObservedSync {
  to_device?: { events?: { type: string; sender: string; content: unknown }[] };
  rooms?: {
    join?: Record<
      string,
      { state?: { events?: RoomEvent[] }; timeline?: { events?: RoomEvent[] } }
    >;
  };
}

interface RoomEvent {
  type: string;
  state_key?: string;
  event_id: string;
  sender: string;
  content: Record<string, unknown>;
  unsigned?: { prev_content?: Record<string, unknown> };
}

type Levels = { users?: Record<string, unknown>; [key: string]: unknown };

/** Power a unit admin holds in the unit Space (shared/org/matrix-mapping.ts). */
const UNIT_ADMIN_POWER = 90;
const POWER_LEVELS = 'm.room.power_levels';

const levelOf = (levels: Levels | undefined, userId: string): number => {
  const own = levels?.users?.[userId];
  if (typeof own === 'number') return own;
  return typeof levels?.users_default === 'number' ? levels.users_default : 0;
};

/** Users whose level differs between two power-level contents: user → [before, after]. */
function changedUsers(before: Levels | undefined, after: Levels): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  const users = new Set([...Object.keys(before?.users ?? {}), ...Object.keys(after.users ?? {})]);
  for (const u of [...users].sort()) {
    const [b, a] = [levelOf(before, u), levelOf(after, u)];
    if (b !== a) out[u] = [b, a];
  }
  return out;
}

/** Top-level settings (other than `users`) whose value changed. */
function changedSettings(before: Levels | undefined, after: Levels): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  keys.delete('users');
  return [...keys].filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after[k])).sort();
}

/** Records reports and power-level changes; {@link AuditObserver.absorb} per sync response. */
export class AuditObserver {
  /** Power levels of the unit Spaces, for telling unit admins. */
  private readonly spaceLevels = new Map<string, Levels>();
  private readonly unitSpaces = new Set<string>();
  /** Power-level events already in the log (a restarted agent sees recent ones again). */
  private readonly recordedLevelEvents = new Set<string>();

  constructor(
    private readonly opts: { client: SynapseClient; audit: AuditLog; agentUserId: string },
  ) {
    for (const e of opts.audit.entries()) {
      if (e.action !== 'room.power-levels') continue;
      const eventId = (JSON.parse(e.detail) as { eventId?: unknown }).eventId;
      if (typeof eventId === 'string') this.recordedLevelEvents.add(eventId);
    }
  }

  /** Handles one sync response; returns how many entries it recorded. */
  async absorb(res: ObservedSync): Promise<number> {
    let recorded = 0;
    for (const [roomId, room] of Object.entries(res.rooms?.join ?? {})) {
      for (const ev of room.state?.events ?? []) this.track(roomId, ev);
      for (const ev of room.timeline?.events ?? []) {
        this.track(roomId, ev);
        if (ev.type === POWER_LEVELS && ev.state_key === '' && this.levelChange(roomId, ev))
          recorded += 1;
      }
    }
    for (const ev of res.to_device?.events ?? []) {
      if (ev.type !== AUDIT_REPORT_EVENT) continue;
      const record = await this.reportRecord(ev.sender, ev.content);
      if (record) {
        this.opts.audit.record(record);
        recorded += 1;
      }
    }
    return recorded;
  }

  private track(roomId: string, ev: RoomEvent): void {
    if (ev.type === UNIT_STATE_EVENT) this.unitSpaces.add(roomId);
    if (ev.type === POWER_LEVELS && ev.state_key === '') this.spaceLevels.set(roomId, ev.content);
  }

  private levelChange(roomId: string, ev: RoomEvent): boolean {
    if (ev.sender === this.opts.agentUserId || this.recordedLevelEvents.has(ev.event_id))
      return false;
    const before = ev.unsigned?.prev_content as Levels | undefined;
    if (!before) return false; // the room's first power levels: part of creating it
    this.recordedLevelEvents.add(ev.event_id);
    this.opts.audit.record({
      actor: ev.sender,
      action: 'room.power-levels',
      target: roomId,
      result: 'ok',
      detail: {
        eventId: ev.event_id,
        users: changedUsers(before, ev.content),
        settings: changedSettings(before, ev.content),
        via: this.opts.agentUserId,
      },
    });
    return true;
  }

  private async reportRecord(sender: string, content: unknown): Promise<AuditRecord | undefined> {
    const parsed = parseAuditReport(content);
    const via = this.opts.agentUserId;
    if (!parsed.ok)
      return {
        actor: sender,
        action: 'client.malformed-report',
        target: sender,
        result: 'refused',
        detail: { message: parsed.error, via },
      };
    const report = parsed.report;
    if (report.action === 'session.login') return this.loginRecord(sender, report.deviceId);
    const { refused, rooms } = await this.roomsRefusing(sender, report.rooms);
    return {
      actor: sender,
      action: report.action,
      target: report.circularId,
      result: refused.length === 0 ? 'ok' : 'refused',
      detail: {
        ...facts(report),
        rooms,
        via,
        ...(refused.length === 0
          ? {}
          : { message: `the sender cannot post in ${refused.length} of ${rooms} rooms`, refused }),
      },
    };
  }

  /** The named rooms in which the sender is not a member allowed to post messages. */
  private async roomsRefusing(
    sender: string,
    rooms: readonly string[],
  ): Promise<{ refused: string[]; rooms: number }> {
    const refused: string[] = [];
    for (const roomId of rooms) {
      const state = await this.opts.client
        .get<{ state: RoomEvent[] }>(`/_synapse/admin/v1/rooms/${seg(roomId)}/state`)
        .then((r) => r.state)
        .catch(() => []);
      const of = (type: string, key: string) =>
        state.find((e) => e.type === type && e.state_key === key)?.content;
      const levels = of(POWER_LEVELS, '') as Levels | undefined;
      const events = levels?.events as Record<string, unknown> | undefined;
      const needed = events?.['m.room.message'] ?? levels?.events_default ?? 0;
      const joined = of('m.room.member', sender)?.membership === 'join';
      if (!joined || levelOf(levels, sender) < Number(needed)) refused.push(roomId);
    }
    return { refused, rooms: rooms.length };
  }

  /** A sign-in by an administrator, on a device of theirs; other users' sign-ins are not kept. */
  private async loginRecord(sender: string, deviceId: string): Promise<AuditRecord | undefined> {
    const { client, agentUserId } = this.opts;
    const serverAdmin = await client
      .get<{ admin?: boolean }>(`/_synapse/admin/v1/users/${seg(sender)}/admin`)
      .then((r) => r.admin === true)
      .catch(() => false);
    const units = [...this.unitSpaces].filter(
      (id) => levelOf(this.spaceLevels.get(id), sender) >= UNIT_ADMIN_POWER,
    );
    if (!serverAdmin && units.length === 0) return undefined;
    const ownDevice = await client
      .get(`/_synapse/admin/v2/users/${seg(sender)}/devices/${seg(deviceId)}`)
      .then(() => true)
      .catch(() => false);
    return {
      actor: sender,
      action: 'admin.login',
      target: sender,
      result: ownDevice ? 'ok' : 'refused',
      detail: {
        device: deviceId,
        role: serverAdmin ? 'server admin' : 'unit admin',
        ...(units.length > 0 ? { unitSpaces: units.length } : {}),
        via: agentUserId,
        ...(ownDevice ? {} : { message: 'the device is not one of the sender’s' }),
      },
    };
  }
}

/** The facts of a circular report worth keeping besides its rooms. */
function facts(report: Exclude<AuditReport, { action: 'session.login' }>): Record<string, unknown> {
  switch (report.action) {
    case 'circular.remind':
      return { users: report.users };
    case 'circular.export':
      return { format: report.format, rows: report.rows };
    default:
      return {};
  }
}
