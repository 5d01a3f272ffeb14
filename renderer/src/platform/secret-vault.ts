import type { SecretKey } from '../../../shared/ipc/contract';
import { AesGcmSealer, type SealedValue } from './aes-gcm-sealer';
import { idbRequest, LazyKeyValueDb } from './idb';
import {
  isPassphraseKeyParams,
  newPassphraseKeyParams,
  sealerFromPassphrase,
} from './passphrase-key';

export { AesGcmSealer, type SealedValue } from './aes-gcm-sealer';

/** Small named secrets (session, crypto-store key) kept between app starts. */
export interface SecretVault {
  get(key: SecretKey): Promise<string | null>;
  /** @throws Error when the secret cannot be stored (e.g. the user has not consented to weak protection). */
  set(key: SecretKey, value: string): Promise<void>;
  delete(key: SecretKey): Promise<void>;
}

const DB_NAME = 'hongyan-secrets';
const STORE = 'kv';
/** The wrapping key (a CryptoKey), or the passphrase key's parameters ({@link PassphraseKeyParams}). */
const KEY_ENTRY = 'wrapping-key';
/** A known value sealed under a passphrase key, so a wrong passphrase is told apart at once. */
const CHECK_ENTRY = 'passphrase-check';
const CHECK_TEXT = 'hongyan vault';

/** Where the web vault stands: nothing kept, usable, or kept under a passphrase not yet entered. */
export type VaultState = 'empty' | 'open' | 'locked';

/** The vault's key is a passphrase the user has not entered in this page yet. */
export class VaultLockedError extends Error {
  constructor() {
    super('the saved session is locked with a passphrase');
    this.name = 'VaultLockedError';
  }
}

/**
 * Web mode's vault. Every secret is stored only as AES-GCM ciphertext, with its name as
 * authenticated data. The key is one of:
 * - **device key** (the default, as Element Web's pickle key): a non-extractable key kept in
 *   IndexedDB beside the ciphertext. Reading the files from outside the browser yields no key
 *   bytes, but a *copied profile* opened in another browser can use the key, so it yields the session;
 * - **passphrase key**: derived with PBKDF2 from a passphrase the user enters at every start; only
 *   the salt and round count are stored, so a copied profile yields nothing without the passphrase.
 * Script running in the page can use whichever key is loaded: against that the defence is the
 * sanitizer and the CSP, not storage.
 */
export class WebSecretVault implements SecretVault {
  private readonly db: LazyKeyValueDb;
  private sealer: Promise<AesGcmSealer> | null = null;

  constructor(factory?: IDBFactory) {
    this.db = new LazyKeyValueDb(DB_NAME, STORE, factory);
  }

  private async read<T>(key: string): Promise<T | undefined> {
    return idbRequest<T | undefined>(await this.db.open(), STORE, 'readonly', (s) => s.get(key));
  }

  private async write(key: string, value: unknown): Promise<void> {
    await idbRequest(await this.db.open(), STORE, 'readwrite', (s) => s.put(value, key));
  }

  /** Whether a passphrase must be entered before the saved secrets can be read. */
  async state(): Promise<VaultState> {
    if (this.sealer) return 'open';
    const entry = await this.read<unknown>(KEY_ENTRY);
    if (isPassphraseKeyParams(entry)) return 'locked';
    return entry instanceof CryptoKey ? 'open' : 'empty';
  }

  /** The sealer, loading or creating the device key once. Shared with the outbox store. */
  async getSealer(): Promise<AesGcmSealer> {
    this.sealer ??= (async () => {
      const existing = await this.read<unknown>(KEY_ENTRY);
      if (existing instanceof CryptoKey) return new AesGcmSealer(existing);
      if (isPassphraseKeyParams(existing)) throw new VaultLockedError();
      const created = await AesGcmSealer.generate();
      await this.write(KEY_ENTRY, created.cryptoKey);
      return created;
    })();
    return this.sealer.catch((err: unknown) => {
      this.sealer = null;
      throw err;
    });
  }

  /** Starts over with a new device key (everything sealed before is deleted). */
  async useDeviceKey(): Promise<void> {
    await this.destroy();
    await this.getSealer();
  }

  /**
   * Starts over with a key derived from `passphrase` (everything sealed before is deleted).
   * `iterations` is lowered only by tests.
   */
  async usePassphrase(passphrase: string, iterations?: number): Promise<void> {
    await this.destroy();
    const params = newPassphraseKeyParams(iterations);
    const sealer = await sealerFromPassphrase(passphrase, params);
    await this.write(CHECK_ENTRY, await sealer.seal(CHECK_TEXT, CHECK_ENTRY));
    await this.write(KEY_ENTRY, params);
    this.sealer = Promise.resolve(sealer);
  }

  /** Derives the key from `passphrase`; resolves false (and stays locked) when it is wrong. */
  async unlock(passphrase: string): Promise<boolean> {
    const params = await this.read<unknown>(KEY_ENTRY);
    const check = await this.read<SealedValue>(CHECK_ENTRY);
    if (!isPassphraseKeyParams(params) || !check) return false;
    const sealer = await sealerFromPassphrase(passphrase, params);
    try {
      if ((await sealer.open(check, CHECK_ENTRY)) !== CHECK_TEXT) return false;
    } catch {
      return false;
    }
    this.sealer = Promise.resolve(sealer);
    return true;
  }

  async get(key: SecretKey): Promise<string | null> {
    const sealed = await this.read<SealedValue>(`secret:${key}`);
    if (!sealed) return null;
    return (await this.getSealer()).open(sealed, key);
  }

  async set(key: SecretKey, value: string): Promise<void> {
    const sealed = await (await this.getSealer()).seal(value, key);
    await this.write(`secret:${key}`, sealed);
  }

  async delete(key: SecretKey): Promise<void> {
    await idbRequest(await this.db.open(), STORE, 'readwrite', (s) => s.delete(`secret:${key}`));
  }

  /** Deletes the vault and its key entirely (logout). */
  async destroy(): Promise<void> {
    this.sealer = null;
    await this.db.delete();
  }
}

/** A vault in memory, for Node tests and benches. */
export class MemorySecretVault implements SecretVault {
  private readonly values = new Map<SecretKey, string>();
  async get(key: SecretKey): Promise<string | null> {
    return this.values.get(key) ?? null;
  }
  async set(key: SecretKey, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: SecretKey): Promise<void> {
    this.values.delete(key);
  }
}
