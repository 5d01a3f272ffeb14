/**
 * Keeps Synapse's "newly joined" noise about the user's own account out of the crypto layer.
 *
 * Synapse lists, in a sync's `device_lists.changed`, every user whose membership event the response
 * carries, changed devices or not. With lazy-loaded members the first event in each room brings
 * the sender's membership along, so the user's own ID is in `changed` after each of their own sends.
 * Rust crypto then queries the user's own device keys again, once per sync: a fan-out to 144 rooms
 * made about 150 `/keys/query` calls, and each room's encryption waited for the one in flight.
 *
 * A device (or cross-signing) change moves the device-list position of Synapse's sync token. When
 * that position is the same before and after a sync, nobody's devices changed in it, so the own
 * entry can only come from the membership heuristic and is dropped. Other users stay: a member new
 * to a room may be someone the client does not track yet. Tokens of another shape (another server)
 * are never filtered.
 */
import type { MatrixClient } from 'matrix-js-sdk';

/** Index of the device-list position among the `_`-separated fields of Synapse's `s…` sync token. */
const DEVICE_LIST_FIELD = 7;

/** The device-list position of a Synapse sync token (`s72_1_0_3_1_1_2_205_0_1`), else undefined. */
export function deviceListPosition(token: string | null | undefined): string | undefined {
  if (!token?.startsWith('s')) return undefined;
  const fields = token.slice(1).split('_');
  return fields.length > DEVICE_LIST_FIELD ? fields[DEVICE_LIST_FIELD] : undefined;
}

/** Whether the user's own entry in a sync's `changed` list can be dropped (see the module comment). */
export function isOwnEntryNoise(since: string | undefined, next: string | undefined): boolean {
  const before = deviceListPosition(since);
  return before !== undefined && before === deviceListPosition(next);
}

interface DeviceLists {
  changed?: string[];
  left?: string[];
}

interface SyncCryptoCallbacks {
  processSyncChanges(changes: { deviceLists?: DeviceLists }): Promise<unknown>;
}

/**
 * Filters the own user's noise out of the device lists the client's sync passes to its crypto.
 * Call after `initRustCrypto` and before `startClient`. Without crypto it does nothing.
 */
export function filterOwnDeviceListNoise(client: MatrixClient): void {
  const crypto = client.getCrypto() as unknown as Partial<SyncCryptoCallbacks> | undefined;
  const process = crypto?.processSyncChanges;
  if (!crypto || typeof process !== 'function') return;
  const store = client.store;
  const setSyncToken = store.setSyncToken.bind(store);
  // The sync loop sets the new token right before it processes that response, one at a time, so
  // the latest pair of tokens is the pair of the changes being processed.
  let since: string | undefined;
  let next: string | undefined;
  store.setSyncToken = (token: string) => {
    since = store.getSyncToken() ?? undefined;
    next = token;
    setSyncToken(token);
  };
  const ownUserId = client.getSafeUserId();
  crypto.processSyncChanges = (changes) => {
    const changed = changes.deviceLists?.changed;
    if (!changed?.includes(ownUserId) || !isOwnEntryNoise(since, next))
      return process.call(crypto, changes);
    return process.call(crypto, {
      ...changes,
      deviceLists: { ...changes.deviceLists, changed: changed.filter((u) => u !== ownUserId) },
    });
  };
}
