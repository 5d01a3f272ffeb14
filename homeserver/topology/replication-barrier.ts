/**
 * A replication barrier for the worker topology. Synapse's processes follow one ordered events
 * stream, each at its own pace: a write that returned on one process may not show yet in another's
 * reads for a moment (read-after-write holds within a process, not across them). The barrier
 * makes a marker event and waits until the main process and every generic worker read it
 * back; since the stream is ordered, each has then seen every earlier write too. The marker is the
 * creation of a throwaway room.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { KitError } from '../errors';
import type { ProcessStatus } from './workers-lifecycle';

async function call<T>(url: string, token: string, method = 'GET', body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new KitError(`${method} ${new URL(url).pathname}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/**
 * Creates the barrier for one homeserver and its admin. Each use creates a throwaway room, waits
 * until every reader sees it, and purges it again, so the server is left as it was.
 */
export function replicationBarrier(
  baseUrl: string,
  adminToken: string,
  processes: () => ProcessStatus[],
): () => Promise<void> {
  return async () => {
    const created = await call<{ room_id: string }>(
      `${baseUrl}/_matrix/client/v3/createRoom`,
      adminToken,
      'POST',
      { preset: 'private_chat' },
    );
    if (!created) throw new KitError('could not create the replication marker room');
    const room = encodeURIComponent(created.room_id);
    const readers = processes()
      .filter((p) => p.name === 'main' || p.name.startsWith('generic_worker'))
      .map((p) => `http://127.0.0.1:${p.port ?? 0}`);
    const deadline = Date.now() + 60_000;
    for (const origin of readers) {
      // Before the room reaches a process, it answers 403 or 404 there.
      while (
        !(await visible(
          `${origin}/_matrix/client/v3/rooms/${room}/state/m.room.create/`,
          adminToken,
        ))
      ) {
        if (Date.now() > deadline) throw new KitError(`${origin} did not catch up within 60 s`);
        await delay(50);
      }
    }
    await call(`${baseUrl}/_synapse/admin/v1/rooms/${room}`, adminToken, 'DELETE', { purge: true });
  };
}

async function visible(url: string, token: string): Promise<boolean> {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  await res.body?.cancel();
  return res.ok;
}
