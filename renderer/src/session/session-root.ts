/**
 * Everything one signed-in session runs, started in one place and stopped as one set: the
 * binders that write the store, the outbox, the circulars controller with its fan-outs, key
 * grants, and the platform's notifications. A feature never starts any of this on its own;
 * logout calls {@link SessionRoot.stop} and nothing the session started keeps running.
 */
import { HttpApiEvent, type MatrixClient } from 'matrix-js-sdk';
import type { StoreApi } from 'zustand';
import { CircularsController } from '../circulars/circulars-controller';
import { keyGrants } from '../circulars/key-grants';
import { bindAdminRequests } from '../org-admin/admin-requests';
import { bindOrg } from '../org/bind-org';
import { bindMutedRooms } from '../matrix/bind-muted-rooms';
import { bindOutboxToSync } from '../matrix/bind-outbox';
import { bindPlatformUi } from '../matrix/bind-platform-ui';
import { bindSession } from '../matrix/bind-session';
import { listen } from '../matrix/listen';
import type { BindNotificationsParams } from '../matrix/notifications';
import { Outbox, OutboxEvent } from '../matrix/outbox/outbox';
import { saveRoomListOnChange } from '../matrix/save-room-list';
import type { VerificationController } from '../matrix/verification-controller';
import type { Platform } from '../platform/platform';
import type { AppState } from '../store/app-store';
import { startCirculars } from './circulars-part';
import type { SessionStores } from './session-stores';

/** Parameters of {@link SessionRoot.start}. */
export interface SessionRootParams {
  /** The started client of the session. */
  client: MatrixClient;
  /** The session's sealed stores (see session-stores.ts). */
  stores: SessionStores;
  platform: Platform;
  store: StoreApi<AppState>;
  /** Localised notification text. */
  describeNotification: BindNotificationsParams['describe'];
  /** Answers verification requests other devices and users send. */
  verification: VerificationController;
  /** The server signed this device out (deleted elsewhere): the app signs out too. */
  onServerLoggedOut(): void;
}

/** See the module comment. */
export class SessionRoot {
  private readonly stops: (() => void)[] = [];

  private constructor(
    /** Messages and acks, stored first and sent when the server can be reached. */
    readonly outbox: Outbox,
    /** The circulars feature: the one object its views talk to. */
    readonly circulars: CircularsController,
  ) {}

  /** Starts every part of a signed-in session; resolves once the outbox has loaded its queue. */
  static async start(params: SessionRootParams): Promise<SessionRoot> {
    const { client, stores, platform, store } = params;
    const outbox = new Outbox({ client, store: stores.outbox });
    const circulars = new CircularsController({
      client,
      store,
      fanOuts: stores.fanOuts,
      // Acks go through the outbox: stored first, so one made offline is sent when the server is back.
      sendAck: (p) => outbox.enqueue(p),
      // Reminders too: a 催办 pressed while the server is unreachable goes out when it is back.
      sendReminder: (p) => outbox.enqueue(p),
    });
    const root = new SessionRoot(outbox, circulars);
    root.stops.push(
      bindSession(client, store),
      bindOrg(client, store),
      bindMutedRooms(client, store),
      bindAdminRequests(client, store),
      saveRoomListOnChange(store, stores.roomList),
      listen(client, HttpApiEvent.SessionLoggedOut, () => params.onServerLoggedOut()),
      listen(outbox, OutboxEvent.Changed, (items) => store.getState().setOutbox(items)),
      bindOutboxToSync(client, outbox),
      () => outbox.stop(),
    );
    try {
      await outbox.start();
    } catch (err) {
      root.stop();
      throw err;
    }
    root.stops.push(
      bindPlatformUi({ client, platform, store, describe: params.describeNotification }),
      params.verification.bindIncoming(client),
      startCirculars({ controller: circulars, keyGrants: keyGrants(client), store }),
    );
    return root;
  }

  /** Stops everything {@link start} started, last started first. Idempotent. */
  stop(): void {
    for (const stop of this.stops.splice(0).reverse()) stop();
  }
}
