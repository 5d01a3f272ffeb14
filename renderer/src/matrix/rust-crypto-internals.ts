/**
 * The private parts of matrix-js-sdk 43's `RustCrypto` that the circular fan-out reaches into to
 * batch what the SDK only does room by room (see circulars/warm-up-encryption.ts and
 * circulars/pre-share-room-keys.ts). Every field is optional: callers check what they use and fall
 * back to the SDK's own per-room path when another SDK version lacks it.
 */
import type { InboundGroupSession, RequestType, UserId } from '@matrix-org/matrix-sdk-crypto-wasm';
import type { MatrixClient } from 'matrix-js-sdk';

/** The request processor's one method used here. */
export interface RequestProcessorInternals {
  makeOutgoingRequest(msg: unknown, uiaCallback?: unknown): Promise<void>;
}

/** A room's encryptor, as far as preparing its session goes. */
export interface RoomEncryptorInternals {
  prepareForEncryption(blacklistUnverified: boolean, isolationMode: unknown): Promise<void>;
}

/** See the module comment. */
export interface RustCryptoInternals {
  olmMachine?: {
    updateTrackedUsers(users: UserId[]): Promise<void>;
    markRequestAsSent(id: string, type: RequestType, response: string): Promise<unknown>;
    /** JSON array of the exported sessions the predicate keeps. */
    exportRoomKeys?(predicate: (session: InboundGroupSession) => boolean): Promise<string>;
  };
  outgoingRequestsManager?: {
    doProcessOutgoingRequests(): Promise<void>;
    outgoingRequestProcessor?: RequestProcessorInternals;
  };
  keyClaimManager?: { ensureSessionsForUsers(logger: unknown, users: UserId[]): Promise<void> };
  roomEncryptors?: Record<string, RoomEncryptorInternals>;
  globalBlacklistUnverifiedDevices?: boolean;
  deviceIsolationMode?: unknown;
}

/** The client's crypto backend seen through {@link RustCryptoInternals} (undefined without crypto). */
export function rustCryptoInternals(client: MatrixClient): RustCryptoInternals | undefined {
  return client.getCrypto() as unknown as RustCryptoInternals | undefined;
}
