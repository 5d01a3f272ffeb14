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
import { chmod, readFile, rename, stat, writeFile } from 'node:fs/promises';
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
  const privateKey = newPrivateKey();
  if (keyFile !== undefined) await writeKeyFile(keyFile, privateKey, 'wx');
  return fromPrivateKey(privateKey);
}

function newPrivateKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey;
}

async function writeKeyFile(file: string, privateKey: KeyObject, flag: 'wx' | 'w'): Promise<void> {
  await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag });
  await chmod(file, 0o600);
}

/**
 * Replaces the key in `keyFile` with a new one (`npm run admin -- agent rotate-key`). The new file
 * is written beside it, owner-only, and renamed over it, so a crash leaves either key whole. A
 * running agent notices the change on its next sync and publishes the new public key; requests
 * sealed to the old key then get an error that asks to send them again.
 */
export async function rotateAgentKey(
  keyFile: string,
): Promise<{ previousKeyId: string | null; keyId: string }> {
  let previousKeyId: string | null = null;
  try {
    previousKeyId = fromPrivateKey(createPrivateKey(await readFile(keyFile, 'utf8'))).content.keyId;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`cannot read the agent key ${keyFile}: ${(err as Error).message}`, {
        cause: err,
      });
  }
  const privateKey = newPrivateKey();
  const fresh = `${keyFile}.new`;
  await writeKeyFile(fresh, privateKey, 'w');
  await rename(fresh, keyFile);
  return { previousKeyId, keyId: fromPrivateKey(privateKey).content.keyId };
}

/**
 * The agent's key, followed in its file: {@link current} reloads it when the file was replaced
 * (a rotation), and keeps the key it has when the file is unchanged.
 */
export class AgentKeySource {
  private stamp = '';

  private constructor(
    private key: AgentKey,
    private readonly keyFile: string | undefined,
  ) {}

  /** Loads (or creates) the key as {@link loadAgentKey} does. */
  static async open(keyFile?: string): Promise<AgentKeySource> {
    const source = new AgentKeySource(await loadAgentKey(keyFile), keyFile);
    source.stamp = await source.fileStamp();
    return source;
  }

  /** The key now in force. */
  async current(): Promise<AgentKey> {
    if (this.keyFile === undefined) return this.key;
    const stamp = await this.fileStamp();
    if (stamp !== this.stamp) {
      this.key = await loadAgentKey(this.keyFile);
      this.stamp = stamp;
    }
    return this.key;
  }

  private async fileStamp(): Promise<string> {
    if (this.keyFile === undefined) return '';
    const st = await stat(this.keyFile).catch(() => null);
    return st ? `${st.ino}:${st.mtimeMs}:${st.size}` : '';
  }
}
