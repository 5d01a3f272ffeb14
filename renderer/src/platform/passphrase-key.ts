import { AesGcmSealer } from './aes-gcm-sealer';

/**
 * PBKDF2-HMAC-SHA-256 rounds for the web vault's passphrase key (OWASP's 2023 figure for SHA-256).
 * It runs once per unlock, so a second or so on a slow machine is acceptable; an attacker with a
 * copied profile pays it for every guess.
 */
export const PASSPHRASE_ITERATIONS = 600_000;

/** Shortest passphrase the login form accepts. */
export const MIN_PASSPHRASE_LENGTH = 8;

/** What the vault stores in place of a key when the user chose a passphrase: no secret in it. */
export interface PassphraseKeyParams {
  kind: 'passphrase';
  salt: Uint8Array<ArrayBuffer>;
  iterations: number;
}

export function isPassphraseKeyParams(value: unknown): value is PassphraseKeyParams {
  const v = value as Partial<PassphraseKeyParams> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.kind === 'passphrase' &&
    v.salt instanceof Uint8Array &&
    typeof v.iterations === 'number' &&
    v.iterations >= 1
  );
}

/** Fresh parameters (a random 16-byte salt) for a new passphrase. */
export function newPassphraseKeyParams(iterations = PASSPHRASE_ITERATIONS): PassphraseKeyParams {
  return { kind: 'passphrase', salt: crypto.getRandomValues(new Uint8Array(16)), iterations };
}

/** Derives the vault's AES-GCM key from the passphrase; the key is non-extractable and kept in memory only. */
export async function sealerFromPassphrase(
  passphrase: string,
  params: PassphraseKeyParams,
): Promise<AesGcmSealer> {
  const base = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(passphrase.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  const key = await crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: params.salt, iterations: params.iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  return new AesGcmSealer(key);
}
