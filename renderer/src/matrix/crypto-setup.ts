import type { MatrixClient } from 'matrix-js-sdk';
import type { AuthDict } from 'matrix-js-sdk/lib/interactive-auth.js';
import {
  CryptoEvent,
  decodeRecoveryKey,
  deriveRecoveryKeyFromPassphrase,
  type GeneratedSecretStorageKey,
  type KeyBackupRestoreResult,
} from 'matrix-js-sdk/lib/crypto-api/index.js';
import { listen } from './listen';
import type { SecretStorageKeyCache } from './secret-storage-key-cache';
import type { EncryptionStatus } from '../store/chat-slice';

function requireCrypto(client: MatrixClient) {
  const crypto = client.getCrypto();
  if (!crypto) throw new Error('end-to-end encryption is not initialised on this client');
  return crypto;
}

/** Reads the device's encryption status from the server's view of the account. */
export async function getEncryptionStatus(client: MatrixClient): Promise<EncryptionStatus> {
  const crypto = requireCrypto(client);
  if (await crypto.isCrossSigningReady()) return 'ready';
  const hasKeys = await crypto.userHasCrossSigningKeys(client.getSafeUserId(), true);
  return hasKeys ? 'needs-verification' : 'needs-setup';
}

/** Parameters of {@link setUpEncryption}. */
export interface SetUpEncryptionParams {
  client: MatrixClient;
  /** The cache wired into the client's crypto callbacks; cleared when setup ends. */
  keyCache: SecretStorageKeyCache;
  /**
   * The account password, for the user-interactive auth that uploading cross-signing keys may ask
   * for; absent after single sign-on (the first upload needs none).
   */
  password?: string | undefined;
  /** Optional passphrase the user may type instead of the recovery key later. */
  passphrase?: string;
}

/**
 * First login of an account: creates cross-signing keys, secret storage and a new key backup, and
 * returns the recovery key that the user must save. It is shown once and never stored by the app.
 */
export async function setUpEncryption(
  params: SetUpEncryptionParams,
): Promise<{ recoveryKey: string }> {
  const { client, keyCache, password } = params;
  const crypto = requireCrypto(client);
  let generated: GeneratedSecretStorageKey | undefined;
  try {
    await crypto.bootstrapCrossSigning({
      setupNewCrossSigning: true,
      authUploadDeviceSigningKeys: passwordAuth(client, password),
    });
    await crypto.bootstrapSecretStorage({
      setupNewSecretStorage: true,
      setupNewKeyBackup: true,
      createSecretStorageKey: async () => {
        generated = await crypto.createRecoveryKeyFromPassphrase(params.passphrase || undefined);
        return generated;
      },
    });
  } finally {
    keyCache.clear();
  }
  if (!generated?.encodedPrivateKey)
    throw new Error('secret storage was not created (no recovery key generated)');
  return { recoveryKey: generated.encodedPrivateKey };
}

/**
 * Replaces the recovery key with one derived from a passphrase the user can remember. Secret storage
 * is re-encrypted under the new key (cross-signing keys and the backup key move over); the old
 * recovery key stops working. Returns the new key, which also works in place of the passphrase.
 */
export async function setRecoveryPassphrase(params: {
  client: MatrixClient;
  keyCache: SecretStorageKeyCache;
  passphrase: string;
}): Promise<{ recoveryKey: string }> {
  const { client, keyCache } = params;
  if (params.passphrase.length < 8) throw new Error('passphrase too short (at least 8 characters)');
  const crypto = requireCrypto(client);
  let generated: GeneratedSecretStorageKey | undefined;
  try {
    await crypto.bootstrapSecretStorage({
      setupNewSecretStorage: true,
      createSecretStorageKey: async () => {
        generated = await crypto.createRecoveryKeyFromPassphrase(params.passphrase);
        return generated;
      },
    });
  } finally {
    keyCache.clear();
  }
  if (!generated?.encodedPrivateKey) throw new Error('secret storage was not re-created');
  return { recoveryKey: generated.encodedPrivateKey };
}

/**
 * Answers the password step of user-interactive auth. Synapse lets an account upload its first
 * cross-signing keys without it; replacing keys needs the password.
 */
export function passwordAuth(client: MatrixClient, password: string | undefined) {
  return async (makeRequest: (auth: AuthDict | null) => Promise<void>): Promise<void> => {
    try {
      await makeRequest(null);
    } catch (err) {
      const e = err as { httpStatus?: number; data?: { session?: string } };
      if (e.httpStatus !== 401 || !e.data?.session) throw err;
      if (password === undefined)
        throw new Error('the server asks to re-authenticate before keys can be set up');
      await makeRequest({
        type: 'm.login.password',
        identifier: { type: 'm.id.user', user: client.getSafeUserId() },
        password,
        session: e.data.session,
      });
    }
  };
}

/** What the user typed to recover: the recovery key, or the passphrase chosen at setup. */
export type RecoverySecret = { recoveryKey: string } | { passphrase: string };

/** Parameters of {@link recoverWithSecret}. */
export interface RecoverParams {
  client: MatrixClient;
  keyCache: SecretStorageKeyCache;
  secret: RecoverySecret;
}

/**
 * New device: unlocks secret storage with the recovery key (or passphrase), which makes this device
 * trusted by cross-signing, then restores every room key from the server-side key backup so old
 * encrypted history decrypts.
 * @throws Error `recovery key does not match` when the key is wrong; nothing is changed then.
 */
export async function recoverWithSecret(params: RecoverParams): Promise<KeyBackupRestoreResult> {
  const { client, keyCache } = params;
  const crypto = requireCrypto(client);
  const found = await client.secretStorage.getKey();
  if (!found)
    throw new Error(
      'this account has no secret storage; set up encryption on another device first',
    );
  const [keyId, info] = found;
  let privateKey: Uint8Array<ArrayBuffer>;
  if ('recoveryKey' in params.secret) {
    try {
      privateKey = decodeRecoveryKey(params.secret.recoveryKey.trim());
    } catch (err) {
      throw new Error(`recovery key is malformed: ${(err as Error).message}`);
    }
  } else {
    const pp = info.passphrase;
    if (!pp)
      throw new Error('this recovery key was not made from a passphrase; enter the recovery key');
    privateKey = await deriveRecoveryKeyFromPassphrase(
      params.secret.passphrase,
      pp.salt,
      pp.iterations,
      pp.bits,
    );
  }
  if (!(await client.secretStorage.checkKey(privateKey, info)))
    throw new Error('recovery key does not match');
  keyCache.add(keyId, privateKey);
  try {
    // Imports the cross-signing private keys from secret storage and signs this device with them.
    await crypto.bootstrapCrossSigning({});
    await crypto.loadSessionBackupPrivateKeyFromSecretStorage();
    await crypto.checkKeyBackupAndEnable();
    return await crypto.restoreKeyBackup();
  } finally {
    keyCache.clear();
  }
}

/** How long a newly verified device waits for another device to share the key-backup key. */
export const BACKUP_KEY_WAIT_MS = 60_000;

/**
 * After SAS verification with another of the user's devices. Once the verification is done, the
 * crypto layer asks the user's devices for the account's secrets (`m.secret.request`); a device
 * that has just verified this one answers over an Olm channel with the key-backup decryption key
 * (`m.secret.send`). That arrives some moments *after* the verification completes, so this waits
 * for it, then restores every room key from the backup so old history decrypts.
 * @returns null when no key arrived within `timeoutMs` (the other device is offline, or has no
 *   backup key itself); the recovery key still works then.
 */
export async function restoreBackupAfterVerification(
  client: MatrixClient,
  timeoutMs = BACKUP_KEY_WAIT_MS,
): Promise<KeyBackupRestoreResult | null> {
  const crypto = requireCrypto(client);
  if (!(await waitForBackupKey(client, timeoutMs))) return null;
  const check = await crypto.checkKeyBackupAndEnable();
  if (!check) return null;
  return crypto.restoreKeyBackup();
}

/** Resolves true once this device holds the key-backup decryption key, false after `timeoutMs`. */
function waitForBackupKey(client: MatrixClient, timeoutMs: number): Promise<boolean> {
  const crypto = requireCrypto(client);
  return new Promise<boolean>((resolve) => {
    let settled = false;
    const finish = (value: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unlisten();
      resolve(value);
    };
    const check = () => {
      crypto.getSessionBackupPrivateKey().then(
        (key) => key && finish(true),
        () => undefined,
      );
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    const unlisten = listen(client, CryptoEvent.KeyBackupDecryptionKeyCached, check);
    check();
  });
}
