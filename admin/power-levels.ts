/**
 * Writing a room's power levels, including the migration of rooms provisioned when unit admins had
 * the provisioning account's own level (100), and the recovery of rooms orphaned in that state.
 *
 * Matrix lets nobody lower a user whose level equals their own, so the provisioning account cannot
 * lower such an admin: the admin must lower their own entry (the executor acts as them with a
 * short-lived token). An admin who has left the room, or was deactivated (which leaves every room),
 * cannot send anything there, and a room whose provisioning account left accepts nothing from the
 * account. Synapse's make-room-admin API has a joined local user of the highest level invite the
 * absent one back (and grant them that level, which they hold already), so the apply brings them
 * back, has them act, and lets them go again — no operator needed.
 */
import type { PuppetTokens } from './puppet-tokens';
import { MatrixApiError, seg } from './synapse-client';
import type { SynapseClient } from './synapse-client';

type Levels = Record<string, number>;
const usersOf = (content: Record<string, unknown>): Levels => (content.users ?? {}) as Levels;

/** Inputs of {@link putPowerLevels}. */
export interface PutPowerLevelsOptions {
  client: SynapseClient;
  puppets: PuppetTokens;
  roomId: string;
  /** The provisioning account (the server admin whose token `client` holds). */
  adminUserId: string;
  /** The full power-levels content to set. */
  content: Record<string, unknown>;
  /** Whether the spec wants the user in this room (a user brought back only to act then leaves). */
  belongs: (userId: string) => boolean;
}

/**
 * Sets the room's power levels. On 403 it makes the write possible: it brings the provisioning
 * account back if it left, then has everyone at or above the account's level who should be lower
 * lower their own entry, bringing back (and afterwards letting go) those who left or were
 * deactivated. Every step is idempotent, so an interrupted migration is finished by the next apply.
 *
 * @throws {MatrixApiError} the server's 403 when nothing above applies (a room none of whose
 *   local admins is joined any more cannot be recovered through the API).
 */
export async function putPowerLevels(opts: PutPowerLevelsOptions): Promise<void> {
  const { client, puppets, roomId, adminUserId, content } = opts;
  const path = `/_matrix/client/v3/rooms/${seg(roomId)}/state/m.room.power_levels/`;
  try {
    await client.request('PUT', path, { body: content });
    return;
  } catch (err) {
    if (!(err instanceof MatrixApiError && err.status === 403)) throw err;
    const joined = await joinedMembers(client, roomId);
    let rejoined = false;
    if (!joined.has(adminUserId)) {
      await bringBack(client, roomId, adminUserId, undefined);
      rejoined = true;
    }
    let current = await client.get<Record<string, unknown>>(path);
    const mine = usersOf(current)[adminUserId] ?? 0;
    const wanted = usersOf(content);
    const stuck = Object.entries(usersOf(current))
      .filter(([u, l]) => u !== adminUserId && l >= mine && (wanted[u] ?? 0) < l)
      .map(([u]) => u);
    if (stuck.length === 0 && !rejoined) throw err;
    for (const userId of stuck) {
      const token = await puppets.tokenFor(userId);
      const absent = !joined.has(userId);
      if (absent) await bringBack(client, roomId, userId, token);
      const own = { ...current, users: { ...usersOf(current), [userId]: wanted[userId] ?? 0 } };
      await client.request('PUT', path, { body: own, token });
      current = own;
      if (absent && !opts.belongs(userId))
        await client.request('POST', `/_matrix/client/v3/rooms/${seg(roomId)}/leave`, {
          body: {},
          token,
        });
    }
    await client.request('PUT', path, { body: content });
  }
}

/** Local users currently joined to the room (admin API: works whether or not the account is in it). */
async function joinedMembers(client: SynapseClient, roomId: string): Promise<Set<string>> {
  const res = await client.get<{ members: string[] }>(
    `/_synapse/admin/v1/rooms/${seg(roomId)}/members`,
  );
  return new Set(res.members);
}

/**
 * Has the room's highest joined local user invite `userId` (make-room-admin; the level it grants is
 * the one a stuck admin holds already), then joins as them: with `token`, or as the account.
 */
async function bringBack(
  client: SynapseClient,
  roomId: string,
  userId: string,
  token: string | undefined,
): Promise<void> {
  await client.request('POST', `/_synapse/admin/v1/rooms/${seg(roomId)}/make_room_admin`, {
    body: { user_id: userId },
  });
  await client.request('POST', `/_matrix/client/v3/join/${seg(roomId)}`, {
    body: {},
    ...(token !== undefined ? { token } : {}),
  });
}
