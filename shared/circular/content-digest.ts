/**
 * The digest that binds an acknowledgment to the circular's decrypted content: SHA-256 of the
 * canonical JSON (keys sorted, no whitespace) of the structured circular, the parsed
 * `cn.hongyan.circular` object. Only a client that holds the plaintext can compute it, so neither a
 * cleartext event sent with a bare HTTP client nor a device that never decrypted the circular can
 * produce an ack that counts.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson } from '../org/matrix-mapping';
import type { Circular } from './types';

/** A lower-case hex SHA-256, as carried in an ack's `contentSha256`. */
export const CONTENT_DIGEST_PATTERN = /^[0-9a-f]{64}$/;

/**
 * The content digest of a circular as `parseCircular` returns it. Fields the schema does not know are
 * dropped before hashing, so the digest covers exactly what this version shows; a field added later
 * must reach every reader's schema before issuers' dashboards start to expect it in the digest.
 */
export function circularDigest(circular: Circular): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(circular))));
}
