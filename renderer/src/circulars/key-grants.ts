/**
 * Key grants on one signed-in client: the recipient side ({@link KeyRequester}) and the granting
 * side ({@link KeyGranter}) bound to the client's to-device messages, sync and decryption events.
 * Every Hongyan client runs both: an issuer's device serves the circulars of its rooms, and any
 * device asks for what it cannot read. The Node key custodian runs the same service.
 */
import {
  ClientEvent,
  MatrixEventEvent,
  RoomMemberEvent,
  type MatrixClient,
  type MatrixEvent,
  type RoomMember,
} from 'matrix-js-sdk';
import { CryptoEvent } from 'matrix-js-sdk/lib/crypto-api/index.js';
import type { ReceivedToDeviceMessage } from 'matrix-js-sdk/lib/sync-accumulator.js';
import {
  KEY_GRANT_EVENT,
  KEY_REFUSAL_EVENT,
  KEY_REQUEST_EVENT,
} from '../../../shared/circular/key-grant';
import { listen, unsubscribeAll } from '../matrix/listen';
import { isWorkRoom } from '../matrix/unit-room';
import { KeyGranter, type HandledRequest } from './key-granter';
import { KeyRequester, type AwaitingKey } from './key-requester';

/** How often due retries are looked for even when nothing happens on the client. */
const TICK_MS = 15_000;
/** Decryption failures arrive in bursts (a sync batch): one pass per burst. */
const DEBOUNCE_MS = 200;

/** Options of {@link KeyGrantService.start}. */
export interface KeyGrantOptions {
  /** Ask for missing keys (default true). The custodian only grants. */
  request?: boolean;
  /** Called whenever the waiting list may have changed. */
  onAwaitingChanged?: (awaiting: AwaitingKey[]) => void;
}

/** See the module comment. One per client: {@link keyGrants}. */
export class KeyGrantService {
  readonly requester: KeyRequester;
  readonly granter: KeyGranter;
  private unbind: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private options: KeyGrantOptions = {};
  private passing: Promise<void> = Promise.resolve();
  private rotating: Promise<void> = Promise.resolve();

  constructor(private readonly client: MatrixClient) {
    this.requester = new KeyRequester(client);
    this.granter = new KeyGranter(client);
  }

  /** Binds to the client; idempotent. */
  start(options: KeyGrantOptions = {}): void {
    this.options = options;
    if (this.unbind) return;
    const client = this.client;
    const onToDevice = (payload: ReceivedToDeviceMessage) => void this.onToDevice(payload);
    const schedule = () => this.schedule();
    const onTrust = (userId: string) => {
      if (userId !== client.getUserId()) return;
      this.requester.retryRefused();
      this.schedule();
    };
    this.unbind = unsubscribeAll([
      listen(client, ClientEvent.ReceivedToDeviceMessage, onToDevice),
      listen(client, MatrixEventEvent.Decrypted, schedule),
      listen(client, ClientEvent.Sync, schedule),
      listen(client, CryptoEvent.UserTrustStatusChanged, onTrust),
      listen(client, RoomMemberEvent.Membership, (_e: MatrixEvent, member: RoomMember, old) =>
        this.onMembership(member, old),
      ),
      // A signature on this device (its verification) arrives as a device-list update.
      listen(client, CryptoEvent.DevicesUpdated, (users) => {
        const me = client.getSafeUserId();
        if (users.includes(me)) onTrust(me);
      }),
    ]);
    this.ticker = setInterval(schedule, TICK_MS);
    this.schedule();
  }

  /** Unbinds from the client. */
  stop(): void {
    this.unbind?.();
    this.unbind = null;
    if (this.timer) clearTimeout(this.timer);
    if (this.ticker) clearInterval(this.ticker);
    this.timer = null;
    this.ticker = null;
  }

  /** Requests this device has answered or turned down (newest last). */
  get handled(): readonly HandledRequest[] {
    return this.granter.handled;
  }

  /** Runs one requester pass now (also what the timers run); resolves when its requests are queued. */
  pass(): Promise<void> {
    this.passing = this.passing.then(async () => {
      if (this.options.request === false) return;
      await this.requester.requestDue().catch((err: unknown) => {
        console.warn(`[key grants] request failed: ${(err as Error).message}`);
      });
      this.options.onAwaitingChanged?.(this.requester.awaiting());
    });
    return this.passing;
  }

  /** Resolves once the sessions discarded for members' joins so far are gone (for tests). */
  whenRotated(): Promise<void> {
    return this.rotating;
  }

  /**
   * Someone joined a unit's work room: this device starts a new Megolm session there before its
   * next message. The new member's devices may later be granted that session (new staff's
   * history), and a session that began before their join would also open what was said before.
   */
  private onMembership(member: RoomMember, old: string | undefined): void {
    const client = this.client;
    if (!client.isInitialSyncComplete() || member.userId === client.getUserId()) return;
    if (member.membership !== 'join' || old === 'join') return;
    const room = client.getRoom(member.roomId);
    if (!room || room.getMyMembership() !== 'join' || !isWorkRoom(room)) return;
    this.rotating = this.rotating.then(() =>
      client
        .getCrypto()
        ?.forceDiscardSession(member.roomId)
        .catch((err: unknown) => {
          console.warn(`[key grants] session not rotated: ${(err as Error).message}`);
        }),
    );
  }

  private schedule(): void {
    if (this.timer || !this.unbind) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pass();
    }, DEBOUNCE_MS);
  }

  private async onToDevice(payload: ReceivedToDeviceMessage): Promise<void> {
    const type = payload.message.type;
    try {
      if (type === KEY_REQUEST_EVENT) await this.granter.receive(payload);
      else if (type === KEY_GRANT_EVENT || type === KEY_REFUSAL_EVENT) {
        await this.requester.receive(payload);
        this.schedule();
      }
    } catch (err) {
      console.warn(`[key grants] ${type} not handled: ${(err as Error).message}`);
    }
  }
}

const services = new WeakMap<MatrixClient, KeyGrantService>();

/** The key-grant service of a client (created on first use, started by the caller). */
export function keyGrants(client: MatrixClient): KeyGrantService {
  let s = services.get(client);
  if (!s) {
    s = new KeyGrantService(client);
    services.set(client, s);
  }
  return s;
}
