import { ClientEvent, SyncState, type MatrixClient } from 'matrix-js-sdk';
import { listen } from './listen';

/**
 * Runs `run` whenever the client reaches `SyncState.Prepared` (its first sync is complete), and at
 * once if it already has: a binder bound to a prepared client gets no Prepared event. Returns the
 * function that removes its listener.
 */
export function whenPrepared(client: MatrixClient, run: () => void): () => void {
  const unsubscribe = listen(client, ClientEvent.Sync, (state) => {
    if (state === SyncState.Prepared) run();
  });
  if (client.isInitialSyncComplete()) run();
  return unsubscribe;
}
