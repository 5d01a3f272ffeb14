import type { SecretVault } from '../platform/secret-vault';
import { fromBase64, toUnpaddedBase64 } from '../platform/base64';
import type { SessionCredentials } from './client-manager';

/** A session as kept between app starts: what is needed to resume without the password. */
export interface PersistedSession {
  credentials: SessionCredentials;
  /** The 32-byte key that encrypts the Rust crypto store (IndexedDB). */
  storageKey: Uint8Array<ArrayBuffer>;
}

/** Length of the crypto-store key the Rust crypto layer requires. */
export const STORAGE_KEY_BYTES = 32;

/** A fresh random crypto-store key for a new device. */
export function newStorageKey(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(STORAGE_KEY_BYTES));
}

/** Writes the session and its store key to the vault (sealed by the platform). */
export async function saveSession(vault: SecretVault, session: PersistedSession): Promise<void> {
  // Key first: a session without its store key is useless, a key without a session is harmless.
  await vault.set('crypto-store-key', toUnpaddedBase64(session.storageKey));
  await vault.set('session', JSON.stringify(session.credentials));
}

/**
 * Reads the saved session. A malformed entry is reported (naming the field) and treated as no
 * session, so a damaged profile leads to the login screen rather than a crash.
 */
export async function loadSession(
  vault: SecretVault,
): Promise<{ session: PersistedSession | null; error?: string }> {
  const [rawSession, rawKey] = await Promise.all([
    vault.get('session'),
    vault.get('crypto-store-key'),
  ]);
  if (rawSession === null || rawKey === null) return { session: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawSession);
  } catch {
    return { session: null, error: 'saved session: not valid JSON' };
  }
  const c = parsed as Partial<Record<keyof SessionCredentials, unknown>>;
  for (const field of ['homeserverUrl', 'userId', 'deviceId', 'accessToken'] as const) {
    if (typeof c[field] !== 'string' || !c[field])
      return { session: null, error: `saved session: field "${field}" missing` };
  }
  // Sessions saved before access tokens expired have no refresh token; they load as they are.
  if (c.refreshToken !== undefined && (typeof c.refreshToken !== 'string' || !c.refreshToken))
    return { session: null, error: 'saved session: field "refreshToken" is not a token' };
  if (c.accessTokenExpiresAt !== undefined && typeof c.accessTokenExpiresAt !== 'number')
    return { session: null, error: 'saved session: field "accessTokenExpiresAt" is not a number' };
  const storageKey = fromBase64(rawKey);
  if (storageKey.length !== STORAGE_KEY_BYTES) {
    return {
      session: null,
      error: `saved session: crypto-store key has ${storageKey.length} bytes, expected ${STORAGE_KEY_BYTES}`,
    };
  }
  return { session: { credentials: c as SessionCredentials, storageKey } };
}

/** Forgets the saved session and key. */
export async function clearSession(vault: SecretVault): Promise<void> {
  await Promise.all([vault.delete('session'), vault.delete('crypto-store-key')]);
}
