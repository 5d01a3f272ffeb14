/**
 * The programmatic provisioning API: plan, apply and export an org spec against a running Synapse.
 * The CLI, the homeserver kit's demo seeding and the tests all go through these functions.
 */
import { buildDesiredState } from '../shared/org/desired-state';
import type { DesiredState } from '../shared/org/desired-state';
import { exportOrgSpec } from '../shared/org/export-spec';
import { roomsWrittenBy, summarizePlan } from '../shared/org/plan-types';
import type { OrgPlan, PlanActionType } from '../shared/org/plan-types';
import { planOrg } from '../shared/org/planner';
import type { OrgSnapshot, StateEventRecord } from '../shared/org/snapshot';
import { runBounded } from '../shared/concurrency';
import type { OrgSpec } from '../shared/org/spec-types';
import { DEFAULT_APPLY_CONCURRENCY, executePlan } from './executor';
import type { ApplyProgress } from './executor';
import type { SnapshotCache } from './snapshot-cache';
import { readRoomState, readSnapshot, whoAmI } from './snapshot-reader';
import type { AdminIdentity } from './snapshot-reader';
import { seg, SynapseClient } from './synapse-client';

/** How to reach the homeserver. */
export interface OrgConnection {
  /** Base URL of the homeserver's client API, e.g. `http://127.0.0.1:8008`. */
  homeserverUrl: string;
  /** Access token of a Synapse server admin. Kept in a header; never logged. */
  adminToken: string;
  /** Requests in flight at once (default {@link DEFAULT_APPLY_CONCURRENCY}). */
  concurrency?: number;
  /** Aborts the operation; whatever was written stays, and a later apply completes it. */
  signal?: AbortSignal;
  /**
   * Room states kept from earlier reads (see `snapshot-cache.ts`): rooms whose summary is unchanged
   * are not read again. The caller opens and saves it; apply drops the rooms it writes.
   */
  snapshotCache?: SnapshotCache;
  /** Read every room from the server even where the cache could answer (the cache is refilled). */
  refresh?: boolean;
}

/** Result of {@link planOrgSpec}. */
export interface PlannedOrgSpec {
  plan: OrgPlan;
  desired: DesiredState;
  snapshot: OrgSnapshot;
  identity: AdminIdentity;
}

/** The plan cannot be applied as it stands (see `conflicts`). */
export class OrgConflictError extends Error {
  constructor(readonly conflicts: string[]) {
    super(`the spec conflicts with the server:\n${conflicts.map((c) => `  ${c}`).join('\n')}`);
    this.name = 'OrgConflictError';
  }
}

function clientFor(opts: OrgConnection, onWrite?: (n: number) => void): SynapseClient {
  return new SynapseClient({
    baseUrl: opts.homeserverUrl,
    token: opts.adminToken,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(onWrite ? { onWrite } : {}),
  });
}

/** Room-state reads in flight: at least 8, since reads are cheaper than writes. */
const readConcurrency = (opts: OrgConnection): number =>
  Math.max(opts.concurrency ?? DEFAULT_APPLY_CONCURRENCY, 8);

async function planWith(
  client: SynapseClient,
  opts: OrgConnection & { spec: OrgSpec; prune?: boolean },
  identity?: AdminIdentity,
): Promise<PlannedOrgSpec> {
  const who = identity ?? (await whoAmI(client));
  const cache = opts.snapshotCache;
  cache?.bind({ homeserverUrl: opts.homeserverUrl, adminUserId: who.adminUserId });
  if (opts.refresh) cache?.clear();
  const read = (): Promise<OrgSnapshot> =>
    readSnapshot({
      client,
      identity: who,
      concurrency: readConcurrency(opts),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(cache ? { cache } : {}),
    });
  const desired = buildDesiredState({
    spec: opts.spec,
    serverName: who.serverName,
    adminUserId: who.adminUserId,
  });
  const prune = opts.prune ?? false;
  let snapshot = await read();
  let plan = planOrg({ desired, snapshot, prune });
  if (cache && cache.counts.cached > 0) {
    // No write is decided on a cached state: the rooms the plan writes to are read again and the
    // plan made anew. A summary misses some changes (an edited power-level event), so a cached
    // room may look as if it needed a write it does not, or the reverse in a room the plan touches.
    const written = roomsWrittenBy(plan);
    if (written === 'every room') {
      cache.clear();
      snapshot = await read();
    } else {
      snapshot = await rereadRooms(client, snapshot, written, cache, opts);
    }
    plan = planOrg({ desired, snapshot, prune });
  }
  return { plan, desired, snapshot, identity: who };
}

/** The snapshot with the state of the named rooms (aliases) read again from the server. */
async function rereadRooms(
  client: SynapseClient,
  snapshot: OrgSnapshot,
  aliases: ReadonlySet<string>,
  cache: SnapshotCache,
  opts: OrgConnection,
): Promise<OrgSnapshot> {
  const targets = snapshot.rooms.filter((r) => aliases.has(r.alias));
  const states = new Map<string, StateEventRecord[]>();
  await runBounded({
    items: targets,
    concurrency: readConcurrency(opts),
    ...(opts.signal ? { signal: opts.signal } : {}),
    fn: async (room) => {
      states.set(room.roomId, await readRoomState(client, room.roomId));
    },
  });
  // These rooms are about to change (or a plan says they should): the next read takes them afresh.
  cache.reread(states.keys());
  return {
    ...snapshot,
    rooms: snapshot.rooms.map((r) => {
      const state = states.get(r.roomId);
      return state ? { ...r, state } : r;
    }),
  };
}

/**
 * Computes the dry-run diff: what an apply of `spec` would create, change or remove. Reads only.
 *
 * @param opts.spec - A validated spec.
 * @param opts.prune - Include removal of managed rooms and users that the spec no longer lists.
 */
export async function planOrgSpec(
  opts: OrgConnection & { spec: OrgSpec; prune?: boolean },
): Promise<PlannedOrgSpec> {
  return planWith(clientFor(opts), opts);
}

/** Options of {@link applyOrgSpec}. */
export interface ApplyOrgSpecOptions extends OrgConnection {
  spec: OrgSpec;
  prune?: boolean;
  onProgress?: (p: ApplyProgress) => void;
  /** Receives each generated password before its account is created (see `executePlan`). */
  onPassword?: (userId: string, password: string) => void | Promise<void>;
  /** Called after each write is sent, with the running count (tests use it to interrupt an apply). */
  onWrite?: (writes: number) => void;
}

/** Result of {@link applyOrgSpec}. */
export interface ApplyOrgSpecResult {
  /** HTTP writes sent (0 when the server already matched the spec). */
  writes: number;
  /** Actions carried out, by type. */
  summary: Partial<Record<PlanActionType, number>>;
  /** Plan/execute rounds: 1 normally, 2 when the first round found rooms the snapshot had missed. */
  rounds: number;
  /** Accounts created with a generated password, and those passwords. Handle as secrets. */
  generatedPasswords: { userId: string; password: string }[];
  /** Aliases of the rooms whose power levels were written (the audit log records each). */
  powerLevelRooms: string[];
}

/**
 * Makes the server match the spec. Idempotent (a second apply writes nothing) and resumable (after
 * an interruption anywhere, the next apply finishes the job without duplicates).
 *
 * @throws {OrgConflictError} when the spec and the server conflict; nothing is written then.
 */
export async function applyOrgSpec(opts: ApplyOrgSpecOptions): Promise<ApplyOrgSpecResult> {
  const client = clientFor(opts, opts.onWrite);
  const identity = await whoAmI(client);
  const result: ApplyOrgSpecResult = {
    writes: 0,
    summary: {},
    rounds: 0,
    generatedPasswords: [],
    powerLevelRooms: [],
  };
  for (let round = 1; round <= 3; round += 1) {
    const { plan, desired, snapshot } = await planWith(client, opts, identity);
    if (plan.conflicts.length > 0) throw new OrgConflictError(plan.conflicts);
    if (plan.actions.length === 0) break;
    result.rounds = round;
    if (round === 1) await liftAdminRateLimit(client, identity.adminUserId);
    for (const [type, n] of Object.entries(summarizePlan(plan)) as [PlanActionType, number][])
      result.summary[type] = (result.summary[type] ?? 0) + n;
    for (const a of plan.actions)
      if (a.type === 'set-state' && a.eventType === 'm.room.power_levels')
        result.powerLevelRooms.push(a.room);
    await forgetWrittenRooms(opts.snapshotCache, plan, snapshot);
    const executed = await executePlan({
      client,
      plan,
      desired,
      snapshot,
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.onPassword ? { onPassword: opts.onPassword } : {}),
    });
    result.generatedPasswords.push(...executed.generatedPasswords);
    if (executed.surprises === 0) break;
  }
  result.writes = client.writes;
  return result;
}

/**
 * Drops the rooms a plan is about to write from the snapshot cache, and saves it, before the first
 * write: an apply stopped half-way must not leave a cached state that its writes have outdated.
 */
async function forgetWrittenRooms(
  cache: SnapshotCache | undefined,
  plan: OrgPlan,
  snapshot: OrgSnapshot,
): Promise<void> {
  if (!cache) return;
  const written = roomsWrittenBy(plan);
  if (written === 'every room') cache.clear();
  else cache.forget(snapshot.rooms.filter((r) => written.has(r.alias)).map((r) => r.roomId));
  await cache.save();
}

/**
 * Exempts the provisioning account from message and room-creation rate limits (Synapse's per-user
 * override), once: thousands of rooms would otherwise take hours at the default limits.
 */
async function liftAdminRateLimit(client: SynapseClient, adminUserId: string): Promise<void> {
  const path = `/_synapse/admin/v1/users/${seg(adminUserId)}/override_ratelimit`;
  const current = await client.get<{ messages_per_second?: number; burst_count?: number }>(path);
  if (current.messages_per_second === 0 && current.burst_count === 0) return;
  await client.request('POST', path, { body: { messages_per_second: 0, burst_count: 0 } });
}

/** Reads the server's org back as a spec (see `exportOrgSpec`). */
export async function exportOrgSpecFromServer(opts: OrgConnection): Promise<OrgSpec> {
  const client = clientFor(opts);
  const identity = await whoAmI(client);
  const snapshot = await readSnapshot({
    client,
    identity,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return exportOrgSpec(snapshot);
}
