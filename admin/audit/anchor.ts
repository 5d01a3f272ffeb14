/**
 * Anchors: the audit chain's head written, now and then, into an admin-only Matrix room, so that a
 * log truncated or rewritten on the server's disk no longer matches what the homeserver holds. Each
 * anchor is a state event keyed by the entry's position; state events carry no secret here (a
 * position, a hash and a time) and stay readable to the provisioning account without a crypto
 * store, while the room itself is encrypted like every room the kit creates.
 */
import { MEGOLM_ALGORITHM, ROOM_VERSION } from '../../shared/org/matrix-mapping';
import { MatrixApiError, seg } from '../synapse-client';
import type { SynapseClient } from '../synapse-client';
import type { AdminIdentity } from '../snapshot-reader';

/** State event type of an anchor; the state key is the anchored entry's position. */
export const AUDIT_ANCHOR_EVENT = 'cn.hongyan.audit_anchor';
/** Alias localpart of the audit room. */
export const AUDIT_ROOM_ALIAS = 'hy.audit';

/** One anchored chain position. */
export interface AuditAnchor {
  seq: number;
  hash: string;
  time: string;
  /** `checkpoint` when the position is where a prune cut the chain. */
  kind: 'head' | 'checkpoint';
}

interface StateEvent {
  type: string;
  state_key: string;
  sender: string;
  content: Record<string, unknown>;
}

const AUDIT_ROOM_POWER_LEVELS = {
  users_default: 0,
  events_default: 100,
  state_default: 100,
  invite: 100,
  kick: 100,
  ban: 100,
  redact: 100,
};

/**
 * The audit room's ID, created (invite-only, encrypted, writable by the admin alone) when missing.
 * A room under the alias that the provisioning account did not create is refused: its anchors
 * would prove nothing.
 */
export async function ensureAuditRoom(
  client: SynapseClient,
  identity: AdminIdentity,
): Promise<string> {
  const alias = `#${AUDIT_ROOM_ALIAS}:${identity.serverName}`;
  let roomId: string;
  try {
    roomId = (
      await client.get<{ room_id: string }>(`/_matrix/client/v3/directory/room/${seg(alias)}`)
    ).room_id;
  } catch (err) {
    if (!(err instanceof MatrixApiError && err.status === 404)) throw err;
    const res = await client.request<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', {
      body: {
        room_version: ROOM_VERSION,
        room_alias_name: AUDIT_ROOM_ALIAS,
        name: '审计日志锚点 Audit anchors',
        preset: 'private_chat',
        visibility: 'private',
        power_level_content_override: {
          ...AUDIT_ROOM_POWER_LEVELS,
          users: { [identity.adminUserId]: 100 },
        },
        initial_state: [
          {
            type: 'm.room.encryption',
            state_key: '',
            content: { algorithm: MEGOLM_ALGORITHM },
          },
          { type: 'm.room.guest_access', state_key: '', content: { guest_access: 'forbidden' } },
        ],
      },
    });
    return res.room_id;
  }
  // Room version 11 has no `creator` in the content: the create event's sender is the creator.
  const creator = (await stateOf(client, roomId)).createSender;
  if (creator !== identity.adminUserId)
    throw new Error(
      `${alias} was not created by ${identity.adminUserId}; remove that alias before anchoring the audit log`,
    );
  return roomId;
}

async function stateOf(
  client: SynapseClient,
  roomId: string,
): Promise<{ events: StateEvent[]; createSender: string | undefined }> {
  const events = await client.get<StateEvent[]>(`/_matrix/client/v3/rooms/${seg(roomId)}/state`);
  return { events, createSender: events.find((e) => e.type === 'm.room.create')?.sender };
}

/** Writes an anchor (idempotent: the same position is simply written again). */
export async function writeAnchor(
  client: SynapseClient,
  roomId: string,
  anchor: AuditAnchor,
): Promise<void> {
  await client.request(
    'PUT',
    `/_matrix/client/v3/rooms/${seg(roomId)}/state/${seg(AUDIT_ANCHOR_EVENT)}/${seg(String(anchor.seq))}`,
    { body: { ...anchor } },
  );
}

/** Every anchor the provisioning account wrote, by position; anything else in the room is ignored. */
export async function readAnchors(
  client: SynapseClient,
  roomId: string,
  identity: AdminIdentity,
): Promise<AuditAnchor[]> {
  const { events } = await stateOf(client, roomId);
  const anchors: AuditAnchor[] = [];
  for (const e of events) {
    if (e.type !== AUDIT_ANCHOR_EVENT || e.sender !== identity.adminUserId) continue;
    const { seq, hash, time, kind } = e.content;
    if (
      typeof seq === 'number' &&
      String(seq) === e.state_key &&
      typeof hash === 'string' &&
      typeof time === 'string' &&
      (kind === 'head' || kind === 'checkpoint')
    )
      anchors.push({ seq, hash, time, kind });
  }
  return anchors.sort((a, b) => a.seq - b.seq);
}
