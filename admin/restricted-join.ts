/** Restricted joins on a homeserver with Synapse workers. */
import { setTimeout as sleep } from 'node:timers/promises';
import { MatrixApiError } from './synapse-client';

/**
 * Runs a restricted join as the user. While Synapse answers M_UNABLE_TO_GRANT_JOIN (it found no
 * joined member with power to invite, although the provisioning account is one) it waits and tries
 * again, then joins through `fallback` (the admin API's invite and join, made by the main process).
 * With Synapse workers, the process serving the join can lag behind the room's newest state: power
 * levels or a join rule another process just wrote, or a room whose creation an interrupted apply
 * left in flight.
 */
export async function joinRetryingUngrantable(
  join: () => Promise<unknown>,
  fallback: () => Promise<unknown>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await join();
      return;
    } catch (err) {
      if (!(err instanceof MatrixApiError && err.errcode === 'M_UNABLE_TO_GRANT_JOIN')) throw err;
      if (attempt >= 3) break;
      await sleep(500 * attempt);
    }
  }
  await fallback();
}
