/**
 * Initial passwords for accounts a unit admin creates: generated here, shown once to the admin, and
 * sealed to the org agent's public key so the request event on the homeserver never holds the
 * plaintext (see docs/org-admin.md). WebCrypto only, so it runs in the renderer and in Node tests.
 */
import type { AgentKeyContent, SealedSecret } from '../../../shared/org/admin-requests';
import { toBase64 } from '../platform/base64';

/** Letters and digits that cannot be mistaken for one another when read aloud or copied by hand. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A random initial password of 16 characters (about 90 bits). */
export function generateInitialPassword(length = 16): string {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % ALPHABET.length);
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) out += ALPHABET[byte % ALPHABET.length];
    }
  }
  return out;
}

/** Seals a password to the agent's key (RSA-OAEP with SHA-256). */
export async function sealPassword(
  password: string,
  agent: AgentKeyContent,
): Promise<SealedSecret> {
  const key = await crypto.subtle.importKey(
    'jwk',
    { kty: agent.publicKey.kty, n: agent.publicKey.n, e: agent.publicKey.e, ext: true },
    { name: 'RSA-OAEP', hash: 'SHA-256' },
    false,
    ['encrypt'],
  );
  const sealed = await crypto.subtle.encrypt(
    { name: 'RSA-OAEP' },
    key,
    new TextEncoder().encode(password),
  );
  return { alg: 'RSA-OAEP-256', keyId: agent.keyId, ciphertext: toBase64(new Uint8Array(sealed)) };
}
