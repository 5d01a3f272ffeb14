/**
 * The issuer's side of 待密钥: which unread recipients cannot decrypt the circular yet. A recipient
 * with no device at all (never signed in) cannot hold the key; one whose device asked this client
 * for it has a device that lacked it. Device lists are cached for a minute per client, since the
 * dashboard refreshes on every sync batch.
 */
import type { MatrixClient } from 'matrix-js-sdk';
import type { CircularAggregate } from '../../../shared/circular/aggregate';
import { markAwaitingKey, type AggregateWithKeys } from '../../../shared/circular/awaiting-key';
import { keyGrants } from './key-grants';

const DEVICE_TTL_MS = 60_000;
const deviceCounts = new WeakMap<MatrixClient, Map<string, { count: number; at: number }>>();

async function devicesOf(client: MatrixClient, users: string[]): Promise<Map<string, number>> {
  const cache = deviceCounts.get(client) ?? new Map<string, { count: number; at: number }>();
  deviceCounts.set(client, cache);
  const now = Date.now();
  const stale = users.filter((u) => (cache.get(u)?.at ?? 0) + DEVICE_TTL_MS < now);
  const crypto = client.getCrypto();
  if (crypto && stale.length > 0) {
    const found = await crypto.getUserDeviceInfo(stale, true);
    for (const u of stale) cache.set(u, { count: found.get(u)?.size ?? 0, at: now });
  }
  return new Map(users.map((u) => [u, cache.get(u)?.count ?? 1]));
}

/** The aggregate with its unread recipients who cannot decrypt yet flagged (see awaiting-key.ts). */
export async function withAwaitingKeys(
  client: MatrixClient,
  agg: CircularAggregate,
): Promise<AggregateWithKeys> {
  const unread = [
    ...new Set(agg.recipients.filter((r) => r.status === 'unread').map((r) => r.userId)),
  ];
  if (unread.length === 0) return { ...agg, awaitingKey: 0 };
  const devices = await devicesOf(client, unread).catch(() => new Map<string, number>());
  const asked = new Set(keyGrants(client).handled.map((h) => `${h.request.roomId}|${h.userId}`));
  return markAwaitingKey(
    agg,
    (r) => devices.get(r.userId) === 0 || asked.has(`${r.roomId}|${r.userId}`),
  );
}
