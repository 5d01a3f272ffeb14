/**
 * Carries out a plan against Synapse in dependency order: users, then rooms top-down, then room
 * settings and Space links, then memberships, then removals. Within a phase requests run with a
 * small bounded concurrency. Every write is idempotent, so an interrupted run is finished by
 * planning again from a fresh snapshot.
 */
import { randomBytes } from 'node:crypto';
import type { DesiredState } from '../shared/org/desired-state';
import type { OrgPlan, PlanAction, PlanActionType } from '../shared/org/plan-types';
import {
  buildCreateRoomBody,
  joinRulesContent,
  spaceChildContent,
  spaceParentContent,
} from '../shared/org/room-requests';
import type { OrgSnapshot } from '../shared/org/snapshot';
import { roomAliasLocalpart } from '../shared/org/matrix-mapping';
import { PuppetTokens } from './puppet-tokens';
import { MatrixApiError, runBounded, seg } from './synapse-client';
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
  /** Requests in flight at once. Default 4: enough to hide latency, few enough not to starve Synapse. */
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
  const concurrency = opts.concurrency ?? 4;
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
        await client.request('PUT', `/_synapse/admin/v2/users/${seg(a.userId)}`, {
          body: { password, displayname: a.displayName, admin: false },
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
          const res = await client.request<{ room_id: string }>(
            'POST',
            '/_matrix/client/v3/createRoom',
            { body: buildCreateRoomBody({ room, serverName, resolve }) },
          );
          ids.set(a.room, res.room_id);
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
        await putState(resolve(a.room), a.eventType, a.stateKey, a.content);
        break;
      case 'set-join-rules':
        await putState(
          resolve(a.room),
          'm.room.join_rules',
          '',
          joinRulesContent(a.allow, resolve),
        );
        break;
      case 'link-child':
        await putState(
          resolve(a.parent),
          'm.space.child',
          resolve(a.child),
          spaceChildContent(serverName),
        );
        break;
      case 'link-parent':
        await putState(
          resolve(a.room),
          'm.space.parent',
          resolve(a.parent),
          spaceParentContent(serverName),
        );
        break;
      case 'unlink':
        await putState(resolve(a.room), a.eventType, a.target, {});
        break;
      case 'join': {
        const roomId = resolve(a.room);
        try {
          if (selfJoinable(a.room, a.userId)) {
            // Restricted join as the user: one membership event instead of the admin API's invite + join.
            const token = await puppets.tokenFor(a.userId);
            await client.request('POST', `/_matrix/client/v3/join/${seg(roomId)}`, {
              body: {},
              token,
            });
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
  /** A member of the room's unit may join it by its restricted rule once in the unit's Space. */
  const selfJoinable = (room: string, userId: string): boolean => {
    const unit = desired.users.get(userId)?.unitCode;
    const want = desired.rooms.get(room);
    return (
      unit !== undefined &&
      want !== undefined &&
      want.kind !== 'space' &&
      want.allow.includes(roomAliasLocalpart(unit, 'space'))
    );
  };
  const puppets = new PuppetTokens(client);

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
