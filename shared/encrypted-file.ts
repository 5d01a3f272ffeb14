/** Matrix wire types of encrypted attachments: plain data, read by the store and the adapter alike. */

/** The `file` object of an encrypted `m.file`/`m.image` event (spec: EncryptedFile). */
export interface EncryptedFileInfo {
  url: string;
  key: { kty: 'oct'; key_ops: string[]; alg: 'A256CTR'; k: string; ext: true };
  iv: string;
  hashes: { sha256: string };
  v: 'v2';
}
