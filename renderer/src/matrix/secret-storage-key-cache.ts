import type { CryptoCallbacks } from 'matrix-js-sdk/lib/crypto-api/index.js';
import type { SecretStorageKeyDescription } from 'matrix-js-sdk/lib/secret-storage.js';

/**
 * Holds secret-storage (recovery) keys in memory while a crypto flow needs them.
 *
 * The SDK asks for the key several times in one flow (cross-signing, then key backup); caching it for
 * the duration of the flow avoids asking the user again. {@link clear} wipes it as soon as the flow
 * ends: the recovery key is never persisted by the app.
 */
export class SecretStorageKeyCache {
  private readonly keys = new Map<string, Uint8Array<ArrayBuffer>>();

  /** Remembers `privateKey` as the key with ID `keyId`. */
  add(keyId: string, privateKey: Uint8Array<ArrayBuffer>): void {
    this.keys.set(keyId, privateKey);
  }

  /** Overwrites and forgets every cached key. */
  clear(): void {
    for (const key of this.keys.values()) key.fill(0);
    this.keys.clear();
  }

  /** The callbacks to pass to `createClient({ cryptoCallbacks })`. */
  callbacks(): CryptoCallbacks {
    return {
      getSecretStorageKey: async ({
        keys,
      }: {
        keys: Record<string, SecretStorageKeyDescription>;
      }) => {
        for (const keyId of Object.keys(keys)) {
          const key = this.keys.get(keyId);
          if (key) return [keyId, key];
        }
        return null;
      },
      cacheSecretStorageKey: (
        keyId: string,
        _info: SecretStorageKeyDescription,
        key: Uint8Array<ArrayBuffer>,
      ) => {
        this.add(keyId, key);
      },
    };
  }
}
