import type { SecretKey } from '../../../shared/ipc/contract';
import { idbRequest, LazyKeyValueDb } from './idb';

/** Small named secrets (session, crypto-store key) kept between app starts. */
export interface SecretVault {
  get(key: SecretKey): Promise<string | null>;
  /** @throws Error when the secret cannot be stored (e.g. the user has not consented to weak protection). */
  set(key: SecretKey, value: string): Promise<void>;
  delete(key: SecretKey): Promise<void>;
}

/** A sealed value as stored: AES-GCM ciphertext and its 96-bit nonce. */
export interface SealedValue {
  iv: Uint8Array<ArrayBuffer>;
  data: Uint8Array<ArrayBuffer>;
}

/** Encrypts values with one AES-GCM key; a fresh random nonce per value. */
export class AesGcmSealer {
  constructor(private readonly key: CryptoKey) {}

  /** Creates a sealer with a new non-extractable key (scripts can use it but never read it out). */
  static async generate(): Promise<AesGcmSealer> {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]);
    return new AesGcmSealer(key);
  }

  /**
   * Derives a sealer from secret key material (HKDF-SHA-256 with `purpose` as info), e.g. from the
   * crypto-store key, which the platform already keeps sealed: no second secret to store.
   */
  static async derive(material: Uint8Array<ArrayBuffer>, purpose: string): Promise<AesGcmSealer> {
    const base = await crypto.subtle.importKey('raw', material, 'HKDF', false, ['deriveKey']);
    const key = await crypto.subtle.deriveKey(
      {
        name: 'HKDF',
        hash: 'SHA-256',
        salt: new Uint8Array(32),
        info: new TextEncoder().encode(purpose),
      },
      base,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
    return new AesGcmSealer(key);
  }

  /** The wrapped key, for storing in IndexedDB (a CryptoKey is structured-cloneable). */
  get cryptoKey(): CryptoKey {
    return this.key;
  }

  async seal(plaintext: string, context: string): Promise<SealedValue> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    // The name is authenticated data: a sealed value moved under another name fails to open.
    const additionalData = new TextEncoder().encode(context);
    const data = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData },
      this.key,
      new TextEncoder().encode(plaintext),
    );
    return { iv, data: new Uint8Array(data) };
  }

  /** @throws Error when the value was altered or sealed under another key or name. */
  async open(sealed: SealedValue, context: string): Promise<string> {
    const additionalData = new TextEncoder().encode(context);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: sealed.iv, additionalData },
      this.key,
      sealed.data,
    );
    return new TextDecoder().decode(plain);
  }
}

const DB_NAME = 'hongyan-secrets';
const STORE = 'kv';
const KEY_ENTRY = 'wrapping-key';

/**
 * Web mode's vault (the same idea as Element Web's pickle key): a non-extractable AES-GCM key lives
 * in IndexedDB, and every secret is stored only as ciphertext under it. Script running in the page
 * can still *use* the key, so this protects against copying the profile's files or reading the
 * database from outside the browser, not against code running in the origin.
 */
export class WebSecretVault implements SecretVault {
  private readonly db: LazyKeyValueDb;
  private sealer: Promise<AesGcmSealer> | null = null;

  constructor(factory?: IDBFactory) {
    this.db = new LazyKeyValueDb(DB_NAME, STORE, factory);
  }

  /** The sealer, loading or creating its key once. Shared with the outbox store. */
  async getSealer(): Promise<AesGcmSealer> {
    this.sealer ??= (async () => {
      const db = await this.db.open();
      const existing = await idbRequest<unknown>(db, STORE, 'readonly', (s) => s.get(KEY_ENTRY));
      if (existing instanceof CryptoKey) return new AesGcmSealer(existing);
      const created = await AesGcmSealer.generate();
      await idbRequest(db, STORE, 'readwrite', (s) => s.put(created.cryptoKey, KEY_ENTRY));
      return created;
    })();
    return this.sealer;
  }

  async get(key: SecretKey): Promise<string | null> {
    const db = await this.db.open();
    const sealed = await idbRequest<SealedValue | undefined>(db, STORE, 'readonly', (s) =>
      s.get(`secret:${key}`),
    );
    if (!sealed) return null;
    return (await this.getSealer()).open(sealed, key);
  }

  async set(key: SecretKey, value: string): Promise<void> {
    const sealed = await (await this.getSealer()).seal(value, key);
    await idbRequest(await this.db.open(), STORE, 'readwrite', (s) =>
      s.put(sealed, `secret:${key}`),
    );
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
