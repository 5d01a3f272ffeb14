/**
 * One fresh Megolm session per circular copy.
 *
 * A late recipient obtains a circular's session from a granter (see key-grants.ts), and an
 * exported session decrypts every message from its first index on. Were the room's session older
 * than the circular, that export would also open the messages sent before it, possibly before the
 * requester joined. So before a circular's copy is sent, the room's outbound session is discarded
 * once; the circular then opens a new session that starts at the circular itself. The compose view
 * does this when it prepares the rooms' keys, so sending still finds them ready; a fan-out that
 * was not prepared does it just before sending.
 */
import type { MatrixClient } from 'matrix-js-sdk';

class FreshSessions {
  /** Rooms whose session was discarded and not yet used by a circular. */
  private readonly fresh = new Set<string>();

  constructor(private readonly client: MatrixClient) {}

  /** Discards the outbound session of each room not already fresh. Never throws. */
  async ensure(roomIds: readonly string[]): Promise<void> {
    const crypto = this.client.getCrypto();
    if (!crypto) return;
    for (const roomId of roomIds) {
      if (this.fresh.has(roomId)) continue;
      this.fresh.add(roomId);
      await crypto.forceDiscardSession(roomId).catch(() => this.fresh.delete(roomId));
    }
  }

  /** The circular went out in these rooms: their next circular needs a new session again. */
  consume(roomIds: readonly string[]): void {
    for (const roomId of roomIds) this.fresh.delete(roomId);
  }
}

const perClient = new WeakMap<MatrixClient, FreshSessions>();

/** The fresh-session tracker of a client. */
export function freshSessions(client: MatrixClient): FreshSessions {
  let f = perClient.get(client);
  if (!f) {
    f = new FreshSessions(client);
    perClient.set(client, f);
  }
  return f;
}
