/**
 * The org agent's key pair for initial passwords. A unit admin's app generates the new user's
 * password, shows it to the admin and seals it to this public key (RSA-OAEP, SHA-256), so the
 * request event stored on the homeserver never holds the plaintext; only the agent can open it and
 * hand it to Synapse's admin API, which hashes it. (Synapse's admin API takes no pre-hashed password.)
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  privateDecrypt,
} from 'node:crypto';
import { constants } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import type { AgentKeyContent, SealedSecret } from '../../shared/org/admin-requests';

/** The agent's key pair. */
export interface AgentKey {
  content: AgentKeyContent;
  /** Opens a sealed secret; throws a clear error when it was sealed to another key or is corrupt. */
  open(sealed: SealedSecret): string;
}

function fromPrivateKey(privateKey: KeyObject): AgentKey {
  const publicKey = createPublicKey(privateKey);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha256').update(spki).digest('base64url').slice(0, 16);
  const jwk = publicKey.export({ format: 'jwk' });
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string')
    throw new Error('agent key is not an RSA key');
  return {
    content: { alg: 'RSA-OAEP-256', keyId, publicKey: { kty: 'RSA', n: jwk.n, e: jwk.e } },
    open(sealed) {
      if (sealed.keyId !== keyId)
        throw new Error(
          `the password was sealed to agent key ${sealed.keyId}, but the agent now uses ${keyId}; reopen the form and send again`,
        );
      try {
        return privateDecrypt(
          { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
          Buffer.from(sealed.ciphertext, 'base64'),
        ).toString('utf8');
      } catch {
        throw new Error('the sealed password cannot be opened (corrupt ciphertext)');
      }
    },
  };
}

/**
 * Loads the agent key from `keyFile`, creating it (readable by its owner only) when missing. Without
 * a file the key lives only as long as the process: requests sealed to an earlier key get an error.
 */
export async function loadAgentKey(keyFile?: string): Promise<AgentKey> {
  if (keyFile !== undefined) {
    try {
      return fromPrivateKey(createPrivateKey(await readFile(keyFile, 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Error(`cannot read the agent key ${keyFile}: ${(err as Error).message}`, {
          cause: err,
        });
    }
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
  if (keyFile !== undefined) {
    await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
      flag: 'wx',
    });
    await chmod(keyFile, 0o600);
  }
  return fromPrivateKey(privateKey);
}
