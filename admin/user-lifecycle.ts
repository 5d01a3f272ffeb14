/**
 * Day-to-day changes to one user: deprovisioning a leaver and moving someone to another unit.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { UNIT_MEMBER_STATE_EVENT } from '../shared/matrix-types';
import { buildDesiredState } from '../shared/org/desired-state';
import { exportOrgSpec } from '../shared/org/export-spec';
import { parseRoomAliasLocalpart, unitMemberStateKey } from '../shared/org/matrix-mapping';
import { summarizePlan } from '../shared/org/plan-types';
import type { PlanActionType } from '../shared/org/plan-types';
import { planOrg } from '../shared/org/planner';
import { locatorWithoutLines } from '../shared/org/spec-source';
import { formatSpecError } from '../shared/org/spec-types';
import { validateOrgSpec } from '../shared/org/spec-validate';
import type { UnitRole } from '../shared/org/types';
import type { OrgConnection } from './apply';
import { OrgConflictError } from './apply';
import { executePlan } from './executor';
import { readRoomState, readSnapshot, whoAmI } from './snapshot-reader';
import type { AdminIdentity } from './snapshot-reader';
import { MatrixApiError, seg, SynapseClient } from './synapse-client';

function clientFor(opts: OrgConnection): SynapseClient {
  return new SynapseClient({
    baseUrl: opts.homeserverUrl,
    token: opts.adminToken,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

/** Accepts `alice` or `@alice:server` and returns the full user ID on the admin's server. */
export function qualifyUserId(user: string, identity: AdminIdentity): string {
  return user.startsWith('@') ? user : `@${user}:${identity.serverName}`;
}

/** Result of {@link deprovisionUser}. */
export interface DeprovisionResult {
  userId: string;
  /** Managed rooms the user was removed from. */
  removedFrom: string[];
  devicesSignedOut: number;
  writes: number;
}

/**
 * Deprovisions a leaver: removes them from their unit and its rooms, signs out every device and
 * deactivates the account (they can no longer log in). Waits until the server shows them in no
 * room, since Synapse leaves non-managed rooms (e.g. direct chats) in the background.
 */
export async function deprovisionUser(
  opts: OrgConnection & { user: string; waitMs?: number },
): Promise<DeprovisionResult> {
  const client = clientFor(opts);
  const identity = await whoAmI(client);
  const userId = qualifyUserId(opts.user, identity);
  if (userId === identity.adminUserId)
    throw new Error('refusing to deprovision the provisioning account itself');
  const account = await client
    .get<{ deactivated?: boolean }>(`/_synapse/admin/v2/users/${seg(userId)}`)
    .catch((err: unknown) => {
      if (err instanceof MatrixApiError && err.status === 404)
        throw new Error(`no such user: ${userId}`);
      throw err;
    });
  const joined = await client.get<{ joined_rooms: string[] }>(
    `/_synapse/admin/v1/users/${seg(userId)}/joined_rooms`,
  );
  const removedFrom: string[] = [];
  for (const roomId of joined.joined_rooms) {
    const state = await readRoomState(client, roomId);
    const alias = state.find((e) => e.type === 'm.room.canonical_alias')?.content.alias;
    const managed =
      typeof alias === 'string' &&
      parseRoomAliasLocalpart(alias.slice(1, alias.indexOf(':'))) !== undefined;
    if (!managed) continue;
    const memberKey = unitMemberStateKey(userId);
    const info = state.find((e) => e.type === UNIT_MEMBER_STATE_EVENT && e.state_key === memberKey);
    if (info && Object.keys(info.content).length > 0) {
      await client.request(
        'PUT',
        `/_matrix/client/v3/rooms/${seg(roomId)}/state/${seg(UNIT_MEMBER_STATE_EVENT)}/${seg(memberKey)}`,
        { body: {} },
      );
    }
    await client.request('POST', `/_matrix/client/v3/rooms/${seg(roomId)}/kick`, {
      body: { user_id: userId, reason: 'account deprovisioned' },
    });
    removedFrom.push(roomId);
  }
  const devices = await client.get<{ devices: { device_id: string }[] }>(
    `/_synapse/admin/v2/users/${seg(userId)}/devices`,
  );
  if (devices.devices.length > 0) {
    await client.request('POST', `/_synapse/admin/v2/users/${seg(userId)}/delete_devices`, {
      body: { devices: devices.devices.map((d) => d.device_id) },
    });
  }
  if (!account.deactivated)
    await client.request('POST', `/_synapse/admin/v1/deactivate/${seg(userId)}`, {
      body: { erase: false },
    });
  // Deactivation parts the remaining rooms asynchronously; report success only once it has.
  const deadline = Date.now() + (opts.waitMs ?? 60_000);
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    const left = await client.get<{ joined_rooms: string[] }>(
      `/_synapse/admin/v1/users/${seg(userId)}/joined_rooms`,
    );
    if (left.joined_rooms.length === 0) break;
    if (Date.now() > deadline)
      throw new Error(
        `${userId} is deactivated but the server still shows them in ${left.joined_rooms.length} room(s)`,
      );
    await sleep(delay, undefined, opts.signal ? { signal: opts.signal } : {});
  }
  return { userId, removedFrom, devicesSignedOut: devices.devices.length, writes: client.writes };
}

/** Result of {@link moveUser}. */
export interface MoveResult {
  userId: string;
  from: string;
  to: string;
  summary: Partial<Record<PlanActionType, number>>;
  writes: number;
}

/**
 * Moves a user to another unit: they join the new unit's Space and rooms, leave the old ones, and
 * power levels follow their roles. Works from the server's own state (exported as a spec), so it
 * needs no spec file and changes nothing else that the server already agrees with.
 *
 * @param opts.roles - Roles in the new unit; default `[member]` (roles belong to a unit, not a person).
 * @param opts.position - New position; default: keep the current one.
 */
export async function moveUser(
  opts: OrgConnection & { user: string; to: string; roles?: UnitRole[]; position?: string },
): Promise<MoveResult> {
  const client = clientFor(opts);
  const identity = await whoAmI(client);
  const userId = qualifyUserId(opts.user, identity);
  const snapshot = await readSnapshot({
    client,
    identity,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const spec = exportOrgSpec(snapshot);
  const user = spec.users.find((u) => `@${u.username}:${identity.serverName}` === userId);
  if (!user) throw new Error(`${userId} is not in any unit on this server`);
  if (!spec.units.some((u) => u.code === opts.to))
    throw new Error(`no unit with code "${opts.to}" on this server`);
  const from = user.unit;
  user.unit = opts.to;
  user.roles = opts.roles && opts.roles.length > 0 ? opts.roles : ['member'];
  if (opts.position !== undefined) user.position = opts.position;
  const checked = validateOrgSpec({
    data: spec,
    locate: locatorWithoutLines('server export'),
    errors: [],
  });
  if (!checked.ok) throw new Error(checked.errors.map(formatSpecError).join('\n'));
  const desired = buildDesiredState({
    spec: checked.spec,
    serverName: identity.serverName,
    adminUserId: identity.adminUserId,
  });
  const plan = planOrg({ desired, snapshot });
  if (plan.conflicts.length > 0) throw new OrgConflictError(plan.conflicts);
  await executePlan({
    client,
    plan,
    desired,
    snapshot,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { userId, from, to: opts.to, summary: summarizePlan(plan), writes: client.writes };
}
