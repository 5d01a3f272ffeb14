/**
 * Shares the room keys of many encrypted rooms at once, in a few `/sendToDevice` calls.
 *
 * Before a room's first encrypted message, the SDK creates a Megolm session and sends its key to
 * every member device: one to-device request per room. For a fan-out to 144 notice rooms that is
 * 144 extra HTTP calls, as many as the messages themselves. Here every room's own encryptor
 * prepares its session (the SDK's `prepareToEncrypt` path, so the session settings are exactly
 * the ones its later sends use), while the to-device requests it emits meanwhile are held, packed
 * with {@link packToDeviceBatches} and sent together; each held request is then marked as sent
 * in the crypto store, as the SDK would after sending it alone.
 *
 * It reaches into the Rust crypto backend of the pinned matrix-js-sdk (43): `roomEncryptors`,
 * `olmMachine`, `outgoingRequestsManager.outgoingRequestProcessor`, the device isolation settings.
 * Their presence is checked; if any is missing nothing is done, and each room shares its key on
 * its first send as usual. A batch the server refuses is handed back to the SDK request by request,
 * so the SDK's own retry rules apply and no key share is lost.
 */
import { RequestType, ToDeviceRequest } from '@matrix-org/matrix-sdk-crypto-wasm';
import type { MatrixClient } from 'matrix-js-sdk';
import {
  rustCryptoInternals,
  type RequestProcessorInternals,
} from '../matrix/rust-crypto-internals';
import { packToDeviceBatches, type ToDeviceMessages } from '../matrix/to-device-batches';

/** What {@link preShareRoomKeys} did (figures for benchmarks and logs). */
export interface PreShareResult {
  rooms: number;
  /** To-device requests the rooms' encryptors produced. */
  requests: number;
  /** `/sendToDevice` calls they travelled in. */
  calls: number;
  messages: number;
}

/** Messages per `/sendToDevice` call: a few hundred Olm messages are well under 1 MB. */
const MAX_MESSAGES_PER_CALL = 400;
/** If some room's encryptor is held up elsewhere (e.g. a slow key query), don't keep the others waiting longer. */
const IDLE_FLUSH_MS = 100;

interface Held {
  request: ToDeviceRequest;
  messages: ToDeviceMessages;
  resolve(): void;
  reject(err: unknown): void;
}

const NOTHING: PreShareResult = { rooms: 0, requests: 0, calls: 0, messages: 0 };

/** The pre-share running on each client's crypto, so that a second one waits for it (see below). */
const inProgress = new WeakMap<object, Promise<unknown>>();

/**
 * Creates and shares the room keys of the given encrypted rooms, batching the key shares.
 * Rooms whose key is already shared with every member device cost nothing. Never throws: a room
 * that could not be prepared shares its key on its first send instead.
 */
export async function preShareRoomKeys(
  client: MatrixClient,
  roomIds: readonly string[],
): Promise<PreShareResult> {
  // One at a time per client: each one swaps the request processor's method for a while.
  const key = client.getCrypto() ?? client;
  const before = inProgress.get(key) ?? Promise.resolve();
  const mine = before.then(() => preShareNow(client, roomIds));
  const settled = mine.catch(() => NOTHING);
  inProgress.set(key, settled);
  try {
    return await mine;
  } finally {
    if (inProgress.get(key) === settled) inProgress.delete(key);
  }
}

async function preShareNow(
  client: MatrixClient,
  roomIds: readonly string[],
): Promise<PreShareResult> {
  const crypto = rustCryptoInternals(client);
  const encryptors = crypto?.roomEncryptors;
  const machine = crypto?.olmMachine;
  const processor = crypto?.outgoingRequestsManager?.outgoingRequestProcessor;
  if (!crypto || !encryptors || !machine || !processor) return NOTHING;
  const rooms = [...new Set(roomIds)].filter((id) => encryptors[id] !== undefined);
  if (rooms.length === 0) return NOTHING;

  const result: PreShareResult = { rooms: rooms.length, requests: 0, calls: 0, messages: 0 };
  const original = processor.makeOutgoingRequest.bind(processor);
  let held: Held[] = [];
  let running = rooms.length;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const sendBatch = async (group: Held[], eventType: string, messages: ToDeviceMessages) => {
    const contentMap = new Map(
      Object.entries(messages).map(([user, devices]) => [
        user,
        new Map(Object.entries(devices) as [string, Record<string, unknown>][]),
      ]),
    );
    try {
      await client.sendToDevice(eventType, contentMap);
      result.calls += 1;
    } catch {
      // Let the SDK send them one by one with its own retries, and mark them itself.
      await Promise.all(
        group.map((h) =>
          original(h.request).then(
            () => {
              result.calls += 1;
              h.resolve();
            },
            (err: unknown) => h.reject(err),
          ),
        ),
      );
      return;
    }
    for (const h of group) {
      try {
        await machine.markRequestAsSent(h.request.id, RequestType.ToDevice, '{}');
        h.resolve();
      } catch (err) {
        h.reject(err);
      }
    }
  };

  const flush = (): void => {
    clearTimeout(idleTimer);
    idleTimer = undefined;
    const group = held;
    held = [];
    if (group.length === 0) return;
    const batches = packToDeviceBatches(
      group.map((h) => ({ eventType: h.request.event_type, messages: h.messages })),
      MAX_MESSAGES_PER_CALL,
    );
    for (const b of batches) {
      result.messages += b.messageCount;
      void sendBatch(
        b.items.map((i) => group[i] as Held),
        b.eventType,
        b.messages,
      );
    }
  };

  // Every room still preparing is waiting on a held request: nothing more will come until they go.
  const maybeFlush = (): void => {
    if (held.length > 0 && held.length >= running) flush();
    else if (held.length > 0 && idleTimer === undefined)
      idleTimer = setTimeout(flush, IDLE_FLUSH_MS);
  };

  const intercept = (msg: unknown, uiaCallback?: unknown): Promise<void> => {
    if (!(msg instanceof ToDeviceRequest)) return original(msg, uiaCallback);
    let messages: ToDeviceMessages;
    try {
      messages = (JSON.parse(msg.body) as { messages: ToDeviceMessages }).messages;
    } catch {
      return original(msg, uiaCallback);
    }
    result.requests += 1;
    return new Promise<void>((resolve, reject) => {
      held.push({ request: msg, messages, resolve, reject });
      maybeFlush();
    });
  };

  processor.makeOutgoingRequest = intercept;
  try {
    await Promise.all(
      rooms.map(async (roomId) => {
        try {
          await encryptors[roomId]?.prepareForEncryption(
            crypto.globalBlacklistUnverifiedDevices ?? false,
            crypto.deviceIsolationMode,
          );
        } catch (err) {
          console.warn(`[fan-out] could not pre-share the key of ${roomId}: ${String(err)}`);
        } finally {
          running -= 1;
          maybeFlush();
        }
      }),
    );
  } finally {
    // Back to the SDK's own method (an own property shadowed the prototype's).
    delete (processor as Partial<RequestProcessorInternals>).makeOutgoingRequest;
    flush();
  }
  return result;
}
