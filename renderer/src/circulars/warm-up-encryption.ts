/**
 * Prepares end-to-end encryption for a whole fan-out at once, before its first send.
 *
 * Sending into an encrypted room makes the SDK fetch the device lists of the room's members
 * (`/keys/query`) and claim one-time keys for devices it has no Olm session with (`/keys/claim`).
 * It does this room by room, and key claims are serialised client-wide, so 144 rooms cost 144
 * claim round trips one after another. Doing the query and the claim once for every recipient
 * of every target room turns that into a couple of large requests; each room's send then finds
 * the sessions ready and only shares its room key.
 *
 * The SDK exposes no batched form of this, so it reaches into the Rust crypto backend of the
 * pinned matrix-js-sdk (43): `olmMachine`, `outgoingRequestsManager` and `keyClaimManager` of
 * `RustCrypto`. Their presence is checked; if any is missing (another SDK version) nothing is
 * done and each room prepares itself as usual, only more slowly.
 */
import { UserId } from '@matrix-org/matrix-sdk-crypto-wasm';
import type { MatrixClient } from 'matrix-js-sdk';
import { rustCryptoInternals } from '../matrix/rust-crypto-internals';
import { freshSessions } from './fresh-sessions';
import { preShareRoomKeys, type PreShareResult } from './pre-share-room-keys';

const quietLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (...msg: unknown[]) => console.warn('[fan-out warm-up]', ...msg),
  error: (...msg: unknown[]) => console.error('[fan-out warm-up]', ...msg),
  getChild: () => quietLogger,
};

/** What {@link warmUpEncryption} did, with the time of each step in ms (for benchmarks). */
export interface WarmUpResult {
  users: number;
  membersMs: number;
  deviceListsMs: number;
  keyClaimMs: number;
}

const SKIPPED: WarmUpResult = { users: 0, membersMs: 0, deviceListsMs: 0, keyClaimMs: 0 };

/**
 * Tracks the devices of every member of the given encrypted rooms and opens Olm sessions with all
 * of them in one batch. Never throws: whatever it could not do, the per-room encryption does.
 */
export async function warmUpEncryption(
  client: MatrixClient,
  roomIds: readonly string[],
): Promise<WarmUpResult> {
  const internals = rustCryptoInternals(client);
  const { olmMachine, outgoingRequestsManager, keyClaimManager } = internals ?? {};
  if (!olmMachine || !outgoingRequestsManager || !keyClaimManager) return SKIPPED;
  try {
    const t0 = performance.now();
    const users = new Set<string>();
    const rooms = roomIds
      .map((id) => client.getRoom(id))
      .filter((r) => r !== null && r.hasEncryptionStateEvent());
    let next = 0;
    const load = async () => {
      while (next < rooms.length) {
        const room = rooms[next++];
        if (!room) continue;
        for (const m of await room.getEncryptionTargetMembers()) users.add(m.userId);
      }
    };
    await Promise.all(Array.from({ length: 16 }, load));
    users.delete(client.getSafeUserId());
    if (users.size === 0) return SKIPPED;
    const list = () => [...users].map((u) => new UserId(u));
    const t1 = performance.now();
    await olmMachine.updateTrackedUsers(list());
    await outgoingRequestsManager.doProcessOutgoingRequests();
    const t2 = performance.now();
    await keyClaimManager.ensureSessionsForUsers(quietLogger, list());
    return {
      users: users.size,
      membersMs: t1 - t0,
      deviceListsMs: t2 - t1,
      keyClaimMs: performance.now() - t2,
    };
  } catch (err) {
    console.warn(`[fan-out warm-up] skipped: ${(err as Error).message}`);
    return SKIPPED;
  }
}

/** What {@link prepareFanOutEncryption} did. */
export interface PreparedEncryption {
  warmUp: WarmUpResult;
  preShare: PreShareResult;
}

/**
 * Everything a fan-out's encryption needs before its first send: device lists and Olm sessions
 * for every recipient ({@link warmUpEncryption}), then every room's key — a new one per circular,
 * see fresh-sessions.ts — shared in a few batched
 * calls ({@link preShareRoomKeys}). Called when the issuer picks the targets, as chat clients
 * prepare a room's key while the user types, and again by the fan-out itself (then nearly free).
 * Never throws.
 */
export async function prepareFanOutEncryption(
  client: MatrixClient,
  roomIds: readonly string[],
): Promise<PreparedEncryption> {
  await freshSessions(client).ensure(roomIds);
  const warmUp = await warmUpEncryption(client, roomIds);
  const preShare = await preShareRoomKeys(client, roomIds);
  return { warmUp, preShare };
}
