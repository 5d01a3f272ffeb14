/**
 * The circulars feature's share of a signed-in session: the controller (inbox, fan-outs,
 * dashboard, reminders) and the key-grant service, started together and stopped together.
 */
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';
import type { CircularsController } from '../circulars/circulars-controller';
import type { KeyGrantService } from '../circulars/key-grants';

/** What the session needs of the circulars controller. */
export type CircularsLifecycle = Pick<CircularsController, 'start' | 'stop' | 'stopFanOuts'>;

/** What the session needs of the key-grant service. */
export type KeyGrantsLifecycle = Pick<KeyGrantService, 'start' | 'stop'>;

/**
 * Starts the circulars controller (inbox, badge, dashboards, resumed fan-outs) and key grants
 * (this device asks for the keys of circulars it cannot read; an issuer's device answers such
 * requests). Returns the function that stops both, running fan-outs included: their stored
 * records resume on the next sign-in of this device.
 */
export function startCirculars(params: {
  controller: CircularsLifecycle;
  keyGrants: KeyGrantsLifecycle;
  store: StoreApi<AppState>;
}): () => void {
  const { controller, keyGrants, store } = params;
  controller.start();
  keyGrants.start({
    onAwaitingChanged: (awaiting) =>
      store.getState().setAwaitingKeys(
        awaiting.map(({ kind, roomId, eventId, senderId, ts, unitCode, refused }) => ({
          kind,
          roomId,
          eventId,
          senderId,
          ts,
          unitCode,
          ...(refused ? { refused } : {}),
        })),
      ),
  });
  return () => {
    keyGrants.stop();
    controller.stop();
    controller.stopFanOuts();
  };
}
