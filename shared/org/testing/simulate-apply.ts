/**
 * Test support: applies a plan to a snapshot in memory, the way the homeserver would, so unit tests
 * can check that planning converges (plan → apply → re-plan gives nothing) without a server.
 * Integration tests check the same against a real Synapse.
 */
import { UNIT_MEMBER_STATE_EVENT } from '../../matrix-types';
import type { DesiredState } from '../desired-state';
import type { OrgPlan } from '../plan-types';
import { buildCreateRoomBody, linkStateWrite } from '../room-requests';
import type { InitialStateEvent } from '../room-requests';
import type { OrgSnapshot, SnapshotRoom, StateEventRecord } from '../snapshot';

function setState(room: SnapshotRoom, ev: StateEventRecord): void {
  room.state = room.state.filter((e) => !(e.type === ev.type && e.state_key === ev.state_key));
  room.state.push(ev);
}

/** Returns a new snapshot with the plan's actions applied. */
export function simulateApply(
  snapshot: OrgSnapshot,
  plan: OrgPlan,
  desired: DesiredState,
): OrgSnapshot {
  const next = JSON.parse(JSON.stringify(snapshot)) as OrgSnapshot;
  const byAlias = new Map(next.rooms.map((r) => [r.alias, r]));
  const resolve = (alias: string): string => {
    const room = byAlias.get(alias);
    if (!room) throw new Error(`unknown room #${alias}`);
    return room.roomId;
  };
  const room = (alias: string): SnapshotRoom => byAlias.get(alias) ?? (undefined as never);
  const member = (r: SnapshotRoom, userId: string, membership: string): void =>
    setState(r, { type: 'm.room.member', state_key: userId, content: { membership } });
  // Same order as the executor: creations top-down first, memberships and removals last.
  const phase = (t: string): number =>
    ['create-user', 'set-display-name', 'create-room'].indexOf(t);
  const ordered = [...plan.actions].sort((a, b) => {
    const pa = phase(a.type) === -1 ? 3 : phase(a.type);
    const pb = phase(b.type) === -1 ? 3 : phase(b.type);
    const da = a.type === 'create-room' ? a.depth * 2 + (a.kind === 'space' ? 0 : 1) : 0;
    const db = b.type === 'create-room' ? b.depth * 2 + (b.kind === 'space' ? 0 : 1) : 0;
    return pa - pb || da - db;
  });
  for (const a of ordered) {
    switch (a.type) {
      case 'create-user':
        next.users.push({ userId: a.userId, displayName: a.displayName, deactivated: false });
        break;
      case 'set-display-name': {
        const u = next.users.find((x) => x.userId === a.userId);
        if (u) u.displayName = a.displayName;
        break;
      }
      case 'create-room': {
        const want = desired.rooms.get(a.room);
        if (!want) throw new Error(`no desired room #${a.room}`);
        const body = buildCreateRoomBody({ room: want, serverName: next.serverName, resolve });
        const r: SnapshotRoom = {
          roomId: `!${a.room}:${next.serverName}`,
          alias: a.room,
          state: [],
        };
        setState(r, {
          type: 'm.room.create',
          state_key: '',
          content: { room_version: '11', ...(body.creation_content as object) },
        });
        member(r, next.adminUserId, 'join');
        setState(r, {
          type: 'm.room.power_levels',
          state_key: '',
          content: { ...(body.power_level_content_override as object), historical: 100 },
        });
        setState(r, { type: 'm.room.name', state_key: '', content: { name: body.name } });
        for (const ev of body.initial_state as InitialStateEvent[]) setState(r, ev);
        next.rooms.push(r);
        byAlias.set(a.room, r);
        break;
      }
      case 'set-state':
        setState(room(a.room), { type: a.eventType, state_key: a.stateKey, content: a.content });
        break;
      case 'set-join-rules':
      case 'link-child':
      case 'link-parent':
      case 'unlink': {
        const { room: target, event } = linkStateWrite(a, resolve, next.serverName);
        setState(room(target), event);
        break;
      }
      case 'join':
        member(room(a.room), a.userId, 'join');
        break;
      case 'kick':
        member(room(a.room), a.userId, 'leave');
        break;
      case 'retire-room':
        next.rooms = next.rooms.filter((r) => r.alias !== a.room);
        byAlias.delete(a.room);
        break;
      case 'deactivate-user': {
        const u = next.users.find((x) => x.userId === a.userId);
        if (u) u.deactivated = true;
        for (const r of next.rooms) {
          member(r, a.userId, 'leave');
          r.state = r.state.filter(
            (e) => !(e.type === UNIT_MEMBER_STATE_EVENT && e.state_key === `user:${a.userId}`),
          );
        }
        break;
      }
    }
  }
  return next;
}

/** An empty server with only the provisioning account. */
export function emptySnapshot(serverName = 'hy.test'): OrgSnapshot {
  return {
    serverName,
    adminUserId: `@admin:${serverName}`,
    rooms: [],
    users: [{ userId: `@admin:${serverName}`, deactivated: false }],
  };
}
