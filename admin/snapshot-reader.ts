/**
 * Reads the org's current state from Synapse: the managed rooms (found by their `#hy.…` canonical
 * aliases in the admin room list) with their full current state, and the local users.
 */
import { roomCreator } from '../shared/org/managed-rooms';
import { parseRoomAliasLocalpart } from '../shared/org/matrix-mapping';
import type {
  OrgSnapshot,
  SnapshotRoom,
  SnapshotUser,
  StateEventRecord,
} from '../shared/org/snapshot';
import { runBounded } from '../shared/concurrency';
import { seg } from './synapse-client';
import type { SynapseClient } from './synapse-client';
import type { SnapshotCache } from './snapshot-cache';

/** Who the token belongs to and which server that is. */
export interface AdminIdentity {
  adminUserId: string;
  serverName: string;
}

/** Resolves the admin token's user and checks it is a server admin. */
export async function whoAmI(client: SynapseClient): Promise<AdminIdentity> {
  const me = await client.get<{ user_id: string }>('/_matrix/client/v3/account/whoami');
  const serverName = me.user_id.slice(me.user_id.indexOf(':') + 1);
  const info = await client.get<{ admin?: boolean | number }>(
    `/_synapse/admin/v2/users/${seg(me.user_id)}`,
  );
  if (!info.admin)
    throw new Error(
      `${me.user_id} is not a Synapse server admin; provisioning needs an admin token`,
    );
  return { adminUserId: me.user_id, serverName };
}

interface AdminRoomListing {
  rooms: ({ room_id: string; canonical_alias: string | null } & Record<string, unknown>)[];
  next_batch?: number;
}

/** A room with an org alias, as the admin room list shows it. */
export interface ListedRoom {
  roomId: string;
  alias: string;
  /**
   * The room's whole row in the list (member counts, state-event count, name, join rule, history
   * visibility, encryption…) as stable JSON: it changes with most changes of the room's state and
   * not with messages, which is what the snapshot cache keys on.
   */
  summary: string;
}

/** Stable JSON of a flat object: keys sorted, so equal rows give equal text. */
function stableRow(row: Record<string, unknown>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1))),
  );
}

/** The managed rooms (IDs, alias localparts, summaries), from the admin room list (paged). */
export async function listManagedRooms(
  client: SynapseClient,
  serverName: string,
): Promise<ListedRoom[]> {
  const out: ListedRoom[] = [];
  const suffix = `:${serverName}`;
  let from = 0;
  for (;;) {
    const page = await client.get<AdminRoomListing>('/_synapse/admin/v1/rooms', {
      from,
      limit: 1000,
      order_by: 'name',
    });
    for (const r of page.rooms) {
      const alias = r.canonical_alias;
      if (!alias || !alias.startsWith('#') || !alias.endsWith(suffix)) continue;
      const localpart = alias.slice(1, -suffix.length);
      if (parseRoomAliasLocalpart(localpart))
        out.push({ roomId: r.room_id, alias: localpart, summary: stableRow(r) });
    }
    if (page.next_batch === undefined || page.rooms.length === 0) return out;
    from = page.next_batch;
  }
}

/** The current state of one room (memberships included). */
export async function readRoomState(
  client: SynapseClient,
  roomId: string,
): Promise<StateEventRecord[]> {
  const res = await client.get<{
    state: { type: string; state_key: string; content: Record<string, unknown>; sender: string }[];
  }>(`/_synapse/admin/v1/rooms/${seg(roomId)}/state`);
  return res.state.map((e) => ({
    type: e.type,
    state_key: e.state_key,
    content: e.content ?? {},
    sender: e.sender,
  }));
}

interface AdminUserListing {
  users: { name: string; displayname?: string | null; deactivated: boolean | number }[];
  next_token?: string;
}

/** Every local user account, deactivated ones included. */
export async function listUsers(client: SynapseClient): Promise<SnapshotUser[]> {
  const out: SnapshotUser[] = [];
  let from = '0';
  for (;;) {
    const page = await client.get<AdminUserListing>('/_synapse/admin/v2/users', {
      from,
      limit: 1000,
      guests: false,
      deactivated: true,
    });
    for (const u of page.users) {
      out.push({
        userId: u.name,
        deactivated: Boolean(u.deactivated),
        ...(u.displayname ? { displayName: u.displayname } : {}),
      });
    }
    if (page.next_token === undefined || page.users.length === 0) return out;
    from = page.next_token;
  }
}

/**
 * Reads the whole snapshot: the rooms with an org alias that the provisioning account (the token's
 * user) created. Room states are fetched with bounded concurrency: one request per managed room is
 * the least the server must answer, and they are independent. With a cache, a room whose summary in
 * the admin room list is unchanged since it was last read is taken from the cache instead (see
 * `snapshot-cache.ts`); `fresh` names rooms (by alias) read from the server whatever the cache holds.
 */
export async function readSnapshot(opts: {
  client: SynapseClient;
  identity: AdminIdentity;
  concurrency?: number;
  signal?: AbortSignal;
  cache?: SnapshotCache;
  fresh?: ReadonlySet<string>;
}): Promise<OrgSnapshot> {
  const { client, identity, cache } = opts;
  const [all, users] = await Promise.all([
    listManagedRooms(client, identity.serverName),
    listUsers(client),
  ]);
  const listed = await dropStaleAliases(client, identity.serverName, all);
  cache?.retain(new Set(all.map((r) => r.roomId)));
  const rooms: SnapshotRoom[] = [];
  await runBounded({
    items: listed,
    concurrency: opts.concurrency ?? 8,
    ...(opts.signal ? { signal: opts.signal } : {}),
    fn: async ({ roomId, alias, summary }) => {
      const hit = opts.fresh?.has(alias) ? undefined : cache?.lookup(roomId, alias, summary);
      let state = hit?.state;
      if (hit === undefined) {
        const read = await readRoomState(client, roomId);
        // Only the provisioning account's rooms are the org's; anyone else's room is not managed,
        // whatever alias or state it carries (see docs/trust.md).
        state = roomCreator(read) === identity.adminUserId ? read : null;
        cache?.remember(roomId, alias, summary, state);
      }
      if (state) rooms.push({ roomId, alias, state });
    },
  });
  rooms.sort((a, b) => (a.alias < b.alias ? -1 : 1));
  return { serverName: identity.serverName, adminUserId: identity.adminUserId, rooms, users };
}

/**
 * A canonical-alias event can outlive the alias itself (deleted, then pointed at another room), so
 * two rooms may claim one alias. The room directory decides which one really owns it.
 */
async function dropStaleAliases(
  client: SynapseClient,
  serverName: string,
  rooms: ListedRoom[],
): Promise<ListedRoom[]> {
  const count = new Map<string, number>();
  for (const r of rooms) count.set(r.alias, (count.get(r.alias) ?? 0) + 1);
  const owner = new Map<string, string | undefined>();
  for (const [alias, n] of count) {
    if (n < 2) continue;
    try {
      const res = await client.get<{ room_id: string }>(
        `/_matrix/client/v3/directory/room/${seg(`#${alias}:${serverName}`)}`,
      );
      owner.set(alias, res.room_id);
    } catch {
      owner.set(alias, undefined);
    }
  }
  return rooms.filter((r) => !owner.has(r.alias) || owner.get(r.alias) === r.roomId);
}
