/**
 * Client-side encryption of attachments (Matrix spec "Sending encrypted attachments", v2):
 * AES-256-CTR with a random key and a random 64-bit IV prefix, the counter half zeroed, and a
 * SHA-256 hash of the ciphertext so a tampered download is refused. Uses WebCrypto only, so it runs
 * in the browser, in Electron's sandboxed renderer and in Node 22 (integration tests and benches).
 */
import { fromBase64, toUnpaddedBase64 } from '../platform/base64';
import type { EncryptedFileInfo } from '../../../shared/encrypted-file';

/** Ciphertext to upload plus the metadata (without the `url`, known only after upload). */
export interface EncryptedAttachment {
  data: Uint8Array<ArrayBuffer>;
  info: Omit<EncryptedFileInfo, 'url'>;
}

/** Encrypts `plaintext` for upload; the key never leaves the event content (which is itself E2E-encrypted). */
export async function encryptAttachment(
  plaintext: Uint8Array<ArrayBuffer>,
): Promise<EncryptedAttachment> {
  const iv = new Uint8Array(16);
  // Only the high 8 bytes are random: the low half is the block counter and starts at zero, so
  // a file of any size can never wrap the counter into a reused keystream.
  crypto.getRandomValues(iv.subarray(0, 8));
  const key = await crypto.subtle.generateKey({ name: 'AES-CTR', length: 256 }, true, [
    'encrypt',
    'decrypt',
  ]);
  const cipher = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-CTR', counter: iv, length: 64 }, key, plaintext),
  );
  const jwk = await crypto.subtle.exportKey('jwk', key);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', cipher));
  return {
    data: cipher,
    info: {
      key: {
        kty: 'oct',
        key_ops: ['encrypt', 'decrypt'],
        alg: 'A256CTR',
        k: jwk.k ?? '',
        ext: true,
      },
      iv: toUnpaddedBase64(iv),
      hashes: { sha256: toUnpaddedBase64(hash) },
      v: 'v2',
    },
  };
}

/**
 * Checks the hash and decrypts a downloaded attachment.
 * @throws Error naming the problem when the metadata is malformed or the ciphertext was altered.
 */
export async function decryptAttachment(
  ciphertext: Uint8Array<ArrayBuffer>,
  info: Omit<EncryptedFileInfo, 'url'>,
): Promise<Uint8Array<ArrayBuffer>> {
  if (info.v !== 'v2' || info.key?.alg !== 'A256CTR' || typeof info.key.k !== 'string') {
    throw new Error(`encrypted file: unsupported version or key (v=${String(info.v)})`);
  }
  const expected = info.hashes?.sha256;
  if (typeof expected !== 'string') throw new Error('encrypted file: missing sha256 hash');
  const actual = toUnpaddedBase64(
    new Uint8Array(await crypto.subtle.digest('SHA-256', ciphertext)),
  );
  if (actual !== expected.replace(/=+$/, ''))
    throw new Error('encrypted file: hash mismatch (file altered or corrupt)');
  const iv = fromBase64(info.iv);
  if (iv.length !== 16) throw new Error('encrypted file: iv must be 16 bytes');
  const key = await crypto.subtle.importKey(
    'jwk',
    { kty: 'oct', k: info.key.k, alg: 'A256CTR', ext: true, key_ops: ['encrypt', 'decrypt'] },
    { name: 'AES-CTR' },
    false,
    ['decrypt'],
  );
  return new Uint8Array(
    await crypto.subtle.decrypt({ name: 'AES-CTR', counter: iv, length: 64 }, key, ciphertext),
  );
}
