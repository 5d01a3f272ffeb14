import type { MatrixClient } from 'matrix-js-sdk';
import { ClientEvent, MatrixEventEvent, RoomEvent, SyncState } from 'matrix-js-sdk';
import { listen, unsubscribeAll } from './listen';

/**
 * Resolves once `check()` returns a value other than undefined, re-checking whenever the client
 * reports new events, decryptions, membership or sync changes. Rejects after `timeoutMs` with
 * `what` in the message, so a failing test says what it was waiting for.
 */
export function waitForClient<T>(
  client: MatrixClient,
  what: string,
  check: () => T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let unlisten = (): void => undefined;
    const cleanup = () => {
      clearTimeout(timer);
      unlisten();
    };
    const recheck = () => {
      let value: T | undefined;
      try {
        value = check();
      } catch (err) {
        cleanup();
        reject(err as Error);
        return;
      }
      if (value !== undefined) {
        cleanup();
        resolve(value);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    unlisten = unsubscribeAll([
      listen(client, ClientEvent.Event, recheck),
      listen(client, ClientEvent.Sync, recheck),
      listen(client, ClientEvent.Room, recheck),
      listen(client, MatrixEventEvent.Decrypted, recheck),
      listen(client, RoomEvent.MyMembership, recheck),
      listen(client, RoomEvent.Timeline, recheck),
    ]);
    recheck();
  });
}

/** Resolves when the client's first sync has completed. */
export function waitForFirstSync(client: MatrixClient, timeoutMs = 60_000): Promise<void> {
  return waitForClient(
    client,
    'the first sync',
    () => {
      const s = client.getSyncState();
      return s === SyncState.Prepared || s === SyncState.Syncing ? true : undefined;
    },
    timeoutMs,
  ).then(() => undefined);
}
