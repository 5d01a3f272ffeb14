/**
 * Carries out a plan against Synapse in dependency order: users, then rooms top-down, then room
 * settings and Space links, then memberships, then removals. Within a phase requests run with a
 * bounded concurrency. Every write is idempotent, so an interrupted run is finished by
 * planning again from a fresh snapshot.
 *
 * Memberships cost the server most, so each takes one membership event where possible: a new
 * Space invites its members in its creation batch, and users then join as themselves (the pending
 * invite, or a unit room's restricted rule, lets them in). Only other joins go through the admin
 * API, which sends an invite and a join.
 */
import { randomBytes } from 'node:crypto';
import type { DesiredState } from '../shared/org/desired-state';
import type { OrgPlan, PlanAction, PlanActionType } from '../shared/org/plan-types';
import { buildCreateRoomBody, linkStateWrite } from '../shared/org/room-requests';
import type { OrgSnapshot } from '../shared/org/snapshot';
import { putPowerLevels } from './power-levels';
import { PuppetTokens } from './puppet-tokens';
import { createAccountWithInitialPassword } from './initial-password';
import { joinRetryingUngrantable } from './restricted-join';
import { runBounded } from '../shared/concurrency';
import { MatrixApiError, seg } from './synapse-client';
import type { SynapseClient } from './synapse-client';

/** Progress of an apply, for a progress bar. */
export interface ApplyProgress {
  phase: string;
  /** Actions finished over the whole plan. */
  done: number;
  total: number;
  /** HTTP writes sent so far. */
  writes: number;
}

/** Inputs of {@link executePlan}. */
export interface ExecutePlanOptions {
  client: SynapseClient;
  plan: OrgPlan;
  desired: DesiredState;
  snapshot: OrgSnapshot;
  /** Requests in flight at once (default {@link DEFAULT_APPLY_CONCURRENCY}). */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (p: ApplyProgress) => void;
  /**
   * Receives each generated password *before* its account is created, so a password is never lost
   * to an interruption (a rerun generates a new one for an account that was not created).
   */
  onPassword?: (userId: string, password: string) => void | Promise<void>;
}

/** What happened beyond the plan. */
export interface ExecuteResult {
  /** Rooms whose alias already existed although the snapshot did not show them (caught by a re-plan). */
  surprises: number;
  /** Accounts created with a generated password. */
  generatedPasswords: { userId: string; password: string }[];
}

const PHASES: { name: string; types: PlanActionType[]; spaces?: boolean }[] = [
  { name: 'users', types: ['create-user', 'set-display-name'] },
  { name: 'rooms', types: ['create-room'] },
  {
    name: 'settings',
    types: ['set-state', 'set-join-rules', 'link-child', 'link-parent', 'unlink'],
  },
  // Space memberships first: they are what lets members join their unit's restricted rooms.
  { name: 'space memberships', types: ['join'], spaces: true },
  { name: 'room memberships', types: ['join'], spaces: false },
  { name: 'removals', types: ['kick', 'retire-room', 'deactivate-user'] },
];

/**
 * Requests in flight at once unless the caller says otherwise. Synapse spends less CPU per request
 * when more of them overlap (provisioning benchmark, PostgreSQL, a tenth of the province: 8 in
 * flight instead of 4 cut its CPU per apply by about a sixth, 16 by another tenth), and joins are
 * spread over rooms so they do not queue behind one another.
 */
export const DEFAULT_APPLY_CONCURRENCY = 16;

/** A fresh random initial password (16 characters, 96 bits). */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * Orders joins so that neighbours go to different rooms: Synapse serialises membership changes per
 * room, so concurrent joins into one room would just queue.
 */
function interleaveByRoom(actions: PlanAction[]): PlanAction[] {
  const byRoom = new Map<string, PlanAction[]>();
  for (const a of actions) {
    const key = 'room' in a ? a.room : '';
    byRoom.set(key, [...(byRoom.get(key) ?? []), a]);
  }
  const queues = [...byRoom.values()];
  const out: PlanAction[] = [];
  for (let i = 0; out.length < actions.length; i += 1)
    for (const q of queues) if (i < q.length) out.push(q[i] as PlanAction);
  return out;
}

/** Runs the plan. See the module comment. */
export async function executePlan(opts: ExecutePlanOptions): Promise<ExecuteResult> {
  const { client, plan, desired, snapshot, signal } = opts;
  const concurrency = opts.concurrency ?? DEFAULT_APPLY_CONCURRENCY;
  const serverName = snapshot.serverName;
  const ids = new Map(snapshot.rooms.map((r) => [r.alias, r.roomId]));
  const resolve = (alias: string): string => {
    const id = ids.get(alias);
    if (id === undefined)
      throw new Error(
        `room #${alias} does not exist yet; it should have been created earlier in this apply`,
      );
    return id;
  };
  const result: ExecuteResult = { surprises: 0, generatedPasswords: [] };
  const total = plan.actions.length;
  let done = 0;
  let phase = '';
  const report = (): void => opts.onProgress?.({ phase, done, total, writes: client.writes });

  const putState = (
    roomId: string,
    type: string,
    stateKey: string,
    content: Record<string, unknown>,
  ): Promise<unknown> =>
    client.request(
      'PUT',
      `/_matrix/client/v3/rooms/${seg(roomId)}/state/${seg(type)}/${seg(stateKey)}`,
      { body: content },
    );

  /** After a failed membership change, accepts the failure if the room already shows the wanted state. */
  const membershipIs = async (
    roomId: string,
    userId: string,
    wanted: readonly string[],
  ): Promise<boolean> => {
    try {
      const ev = await client.get<{ membership?: string }>(
        `/_matrix/client/v3/rooms/${seg(roomId)}/state/m.room.member/${seg(userId)}`,
      );
      return wanted.includes(ev.membership ?? 'leave');
    } catch (err) {
      if (err instanceof MatrixApiError && err.status === 404) return wanted.includes('leave');
      throw err;
    }
  };

  const run = async (a: PlanAction): Promise<void> => {
    switch (a.type) {
      case 'create-user': {
        const want = desired.users.get(a.userId);
        let password = want?.password;
        if (password === undefined) {
          password = generatePassword();
          await opts.onPassword?.(a.userId, password);
          result.generatedPasswords.push({ userId: a.userId, password });
        }
        await createAccountWithInitialPassword({
          client,
          puppets,
          userId: a.userId,
          password,
          displayName: a.displayName,
        });
        break;
      }
      case 'set-display-name':
        await client.request('PUT', `/_synapse/admin/v2/users/${seg(a.userId)}`, {
          body: { displayname: a.displayName },
        });
        break;
      case 'create-room': {
        const room = desired.rooms.get(a.room);
        if (!room) throw new Error(`plan names room #${a.room}, which the spec does not have`);
        try {
          // Members who cannot join by the room's restricted rule are invited in the creation batch.
          const invite = room.members.filter(
            (u) => u !== snapshot.adminUserId && !selfJoinable(a.room, u),
          );
          const res = await client.request<{ room_id: string }>(
            'POST',
            '/_matrix/client/v3/createRoom',
            { body: buildCreateRoomBody({ room, serverName, resolve, invite }) },
          );
          ids.set(a.room, res.room_id);
          for (const u of invite) invited.add(`${a.room}|${u}`);
        } catch (err) {
          // A create whose answer was lost (interrupted apply) left the alias behind: adopt that room.
          if (!(err instanceof MatrixApiError && err.errcode === 'M_ROOM_IN_USE')) throw err;
          const res = await client.get<{ room_id: string }>(
            `/_matrix/client/v3/directory/room/${seg(`#${a.room}:${serverName}`)}`,
          );
          ids.set(a.room, res.room_id);
          result.surprises += 1;
        }
        break;
      }
      case 'set-state':
        if (a.eventType === 'm.room.power_levels')
          await putPowerLevels({
            client,
            puppets,
            roomId: resolve(a.room),
            adminUserId: snapshot.adminUserId,
            content: a.content,
            belongs: (u) => desired.rooms.get(a.room)?.members.includes(u) === true,
          });
        else await putState(resolve(a.room), a.eventType, a.stateKey, a.content);
        break;
      case 'set-join-rules':
      case 'link-child':
      case 'link-parent':
      case 'unlink': {
        const { room, event } = linkStateWrite(a, resolve, serverName);
        await putState(resolve(room), event.type, event.state_key, event.content);
        break;
      }
      case 'join': {
        const roomId = resolve(a.room);
        try {
          if (selfJoinable(a.room, a.userId) || invited.has(`${a.room}|${a.userId}`)) {
            // Join as the user (restricted rule or pending invite): one membership event instead of
            // the admin API's invite + join.
            const token = await puppets.tokenFor(a.userId);
            await joinRetryingUngrantable(
              () =>
                client.request('POST', `/_matrix/client/v3/join/${seg(roomId)}`, {
                  body: {},
                  token,
                }),
              () =>
                client.request('POST', `/_synapse/admin/v1/join/${seg(roomId)}`, {
                  body: { user_id: a.userId },
                }),
            );
          } else {
            await client.request('POST', `/_synapse/admin/v1/join/${seg(roomId)}`, {
              body: { user_id: a.userId },
            });
          }
        } catch (err) {
          if (!(err instanceof MatrixApiError) || !(await membershipIs(roomId, a.userId, ['join'])))
            throw err;
        }
        break;
      }
      case 'kick': {
        const roomId = resolve(a.room);
        try {
          await client.request('POST', `/_matrix/client/v3/rooms/${seg(roomId)}/kick`, {
            body: { user_id: a.userId, reason: a.reason },
          });
        } catch (err) {
          if (
            !(err instanceof MatrixApiError) ||
            !(await membershipIs(roomId, a.userId, ['leave', 'ban']))
          )
            throw err;
        }
        break;
      }
      case 'retire-room':
        try {
          await client.request(
            'DELETE',
            `/_matrix/client/v3/directory/room/${seg(`#${a.room}:${serverName}`)}`,
          );
        } catch (err) {
          if (!(err instanceof MatrixApiError && err.status === 404)) throw err;
        }
        await putState(a.roomId, 'm.room.canonical_alias', '', {});
        break;
      case 'deactivate-user':
        await client.request('POST', `/_synapse/admin/v1/deactivate/${seg(a.userId)}`, {
          body: { erase: false },
        });
        break;
    }
    done += 1;
    report();
  };

  const isSpaceAction = (a: PlanAction): boolean =>
    'room' in a && desired.rooms.get(a.room)?.kind === 'space';
  /**
   * Whether the user may join the unit room by its restricted rule: they belong in one of the Spaces
   * it allows, and Space memberships are made in the phase before. (Spaces themselves are joined by
   * invite, so that no Space join waits on another.)
   */
  const selfJoinable = (room: string, userId: string): boolean => {
    const want = desired.rooms.get(room);
    return (
      want !== undefined &&
      want.kind !== 'space' &&
      want.allow.some((s) => desired.rooms.get(s)?.members.includes(userId) === true)
    );
  };
  const puppets = new PuppetTokens(client, concurrency);
  /** `alias|userId` of pending invites: from the snapshot (an interrupted apply) and this apply's room creations. */
  const invited = new Set<string>();
  for (const r of snapshot.rooms)
    for (const e of r.state)
      if (e.type === 'm.room.member' && e.content.membership === 'invite')
        invited.add(`${r.alias}|${e.state_key}`);

  try {
    await runPhases();
  } finally {
    await puppets.revokeAll();
  }
  return result;

  async function runPhases(): Promise<void> {
    for (const p of PHASES) {
      phase = p.name;
      const actions = plan.actions.filter(
        (a) =>
          p.types.includes(a.type) && (p.spaces === undefined || isSpaceAction(a) === p.spaces),
      );
      if (actions.length === 0) continue;
      report();
      if (p.name === 'rooms') {
        // Top-down waves: a unit's rooms need its Space and its ancestors' Spaces, a Space its parent.
        const wave = (a: PlanAction): number =>
          a.type === 'create-room' ? a.depth + (a.kind === 'space' ? 0 : 1) : 0;
        const waves = [...new Set(actions.map(wave))].sort((x, y) => x - y);
        for (const w of waves) {
          await runBounded({
            items: actions.filter((a) => wave(a) === w),
            concurrency,
            fn: run,
            ...(signal ? { signal } : {}),
          });
        }
      } else {
        const items =
          p.types.includes('join') || p.name === 'settings' ? interleaveByRoom(actions) : actions;
        await runBounded({ items, concurrency, fn: run, ...(signal ? { signal } : {}) });
      }
    }
  }
}
