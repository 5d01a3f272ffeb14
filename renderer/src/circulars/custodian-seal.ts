/**
 * The key custodian's keys at rest: the Megolm sessions it holds, sealed under a passphrase the
 * operator supplies at start (never written beside the sealed file), so a restart of the custodian
 * still serves the circulars sent before it. AES-256-GCM under a key derived with PBKDF2-SHA-256;
 * Web Crypto only, so it runs wherever the key-grant service does.
 *
 * Sealed format: "HYKS1" ‖ salt (16 bytes) ‖ IV (12 bytes) ‖ ciphertext with its GCM tag.
 */

const MAGIC = new TextEncoder().encode('HYKS1');
const SALT_BYTES = 16;
const IV_BYTES = 12;
/** PBKDF2 rounds: slow enough to make guessing a passphrase expensive, once per seal/unseal. */
const ROUNDS = 600_000;

/** Where sealed bytes are kept (a file beside the deployment's other secrets, or memory in tests). */
export interface SealedStore {
  /** The sealed bytes, or undefined when nothing was sealed yet. */
  load(): Promise<Uint8Array | undefined>;
  /** Replaces the sealed bytes (atomically, where the medium allows it). */
  save(sealed: Uint8Array): Promise<void>;
}

async function deriveKey(passphrase: string, salt: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(passphrase),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations: ROUNDS },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Seals `plaintext` under `passphrase` (a fresh salt and IV each time). */
export async function seal(plaintext: string, passphrase: string): Promise<Uint8Array> {
  if (passphrase.length < 12)
    throw new Error('key custodian: the sealing passphrase needs 12+ characters');
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const key = await deriveKey(passphrase, salt);
  const body = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(plaintext)),
  );
  const out = new Uint8Array(MAGIC.length + SALT_BYTES + IV_BYTES + body.length);
  out.set(MAGIC, 0);
  out.set(salt, MAGIC.length);
  out.set(iv, MAGIC.length + SALT_BYTES);
  out.set(body, MAGIC.length + SALT_BYTES + IV_BYTES);
  return out;
}

/** Opens what {@link seal} produced; throws a clear error on another format or a wrong passphrase. */
export async function unseal(sealed: Uint8Array, passphrase: string): Promise<string> {
  const head = sealed.subarray(0, MAGIC.length);
  if (
    sealed.length < MAGIC.length + SALT_BYTES + IV_BYTES + 16 ||
    !head.every((b, i) => b === MAGIC[i])
  )
    throw new Error('key custodian: the sealed key store is not in the expected format (HYKS1)');
  const salt = sealed.slice(MAGIC.length, MAGIC.length + SALT_BYTES);
  const iv = sealed.slice(MAGIC.length + SALT_BYTES, MAGIC.length + SALT_BYTES + IV_BYTES);
  const body = sealed.slice(MAGIC.length + SALT_BYTES + IV_BYTES);
  const key = await deriveKey(passphrase, salt);
  try {
    return new TextDecoder().decode(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, body),
    );
  } catch {
    throw new Error(
      'key custodian: the sealed key store does not open with this passphrase (or was altered)',
    );
  }
}
