import { useEffect } from 'react';
import type { MatrixClient } from 'matrix-js-sdk';
import { useMatrixClient } from '../matrix/client-context';
import { useSession } from '../chat/session-context';
import { useAppStoreApi } from '../store/store-context';
import { directAckSender } from './acknowledge';
import { CircularsController } from './circulars-controller';
import { keyGrants } from './key-grants';
import { MemoryFanOutStore } from './fan-out-store';

/**
 * One controller per signed-in client. Keyed weakly by the client so it lives exactly as long as
 * the session (a new login makes a new client and so a new controller) and fan-outs keep running
 * while the user looks at other views.
 */
const controllers = new WeakMap<MatrixClient, CircularsController>();

/** The circulars controller of the signed-in session (created on first use). */
export function useCircularsController(): CircularsController {
  const client = useMatrixClient();
  const store = useAppStoreApi();
  const { controller: session } = useSession();
  let controller = controllers.get(client);
  if (!controller) {
    controller = new CircularsController({
      client,
      store,
      // Sealed in IndexedDB by the session; in memory only where there is no session store.
      fanOuts: session.currentFanOutStore ?? new MemoryFanOutStore(),
      // Acks go through the outbox: stored first, so one made offline is sent when the server is back.
      sendAck: (p) => {
        const outbox = session.currentOutbox;
        return outbox ? outbox.enqueue(p) : directAckSender(client)(p);
      },
    });
    controllers.set(client, controller);
  }
  return controller;
}

/** Binds the controller to the client and the store while the calling component is mounted. */
export function useCircularsBinding(controller: CircularsController): void {
  useEffect(() => {
    controller.start();
    return () => controller.stop();
  }, [controller]);
}

/**
 * Keeps circulars live for the whole signed-in session (inbox, badge, dashboards, resumed
 * fan-outs), not only while the circulars view is open. Rendered once by the app shell.
 */
export function CircularsLiveUpdates(): null {
  useCircularsBinding(useCircularsController());
  useKeyGrantsBinding();
  return null;
}

/**
 * Runs key grants for the session: this device asks for the keys of circulars it cannot read
 * (shown as waiting in the inbox meanwhile) and, on an issuer's device, answers such requests.
 */
function useKeyGrantsBinding(): void {
  const client = useMatrixClient();
  const store = useAppStoreApi();
  useEffect(() => {
    const service = keyGrants(client);
    service.start({
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
    return () => service.stop();
  }, [client, store]);
}
