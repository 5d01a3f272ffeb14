import { ClientEvent, SyncState, type MatrixClient } from 'matrix-js-sdk';
import { listen } from './listen';
import type { Outbox } from './outbox/outbox';

/**
 * Retries the outbox at once when sync recovers from an error, instead of waiting out the backoff.
 * Returns the function that removes the listener.
 */
export function bindOutboxToSync(client: MatrixClient, outbox: Outbox): () => void {
  const onSync = (state: SyncState, prev: SyncState | null) => {
    const recovered =
      (state === SyncState.Syncing || state === SyncState.Prepared) && prev !== state;
    if (recovered) outbox.kick();
  };
  return listen(client, ClientEvent.Sync, onSync);
}
