/**
 * The secrets store: the renderer's session and crypto-store key, sealed with Electron's
 * `safeStorage` and kept in `secrets.json` in userData (mode 0600).
 *
 * Protection levels (reported to the renderer as {@link SecretsBackendInfo}):
 * - `os`: the OS keyring seals the data (macOS Keychain, Windows DPAPI, libsecret, KWallet).
 * - `weak`: Linux without a keyring (`basic_text`): the key sits beside the data. Writes are refused
 *   until the user consents; the consent is remembered in the file.
 * - `none`: the explicit plaintext mode for test machines (`--hongyan-plaintext-secrets` or
 *   `HONGYAN_PLAINTEXT_SECRETS=1`), or no encryption at all (consent required, as for `weak`).
 */
import { renameSync } from 'node:fs';
import {
  MAX_SECRET_LENGTH,
  SECRET_KEYS,
  type SecretKey,
  type SecretsBackendInfo,
  type SecretsWriteRefusal,
} from '../shared/ipc/contract';
import type { ElectronSeam } from './electron-seam';
import type { IpcRegistry } from './ipc';
import { readJsonFileSync, writeJsonFileAtomic } from './json-file';
import type { Logger } from './logger';

/** The command-line flag that selects plaintext storage. */
export const PLAINTEXT_SECRETS_FLAG = '--hongyan-plaintext-secrets';
/** The environment variable that selects plaintext storage (value `1`). */
export const PLAINTEXT_SECRETS_ENV = 'HONGYAN_PLAINTEXT_SECRETS';

/** True when the plaintext mode was asked for on the command line or in the environment. */
export function plaintextSecretsRequested(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return argv.includes(PLAINTEXT_SECRETS_FLAG) || env[PLAINTEXT_SECRETS_ENV] === '1';
}

/** The secrets store's operations. */
export interface SecretsStore {
  backendInfo(): SecretsBackendInfo;
  /** Records the user's consent to weak or no protection. */
  consentToWeakProtection(): Promise<SecretsBackendInfo>;
  get(key: SecretKey): Promise<string | null>;
  set(
    key: SecretKey,
    value: string,
  ): Promise<{ ok: true } | { ok: false; reason: SecretsWriteRefusal }>;
  delete(key: SecretKey): Promise<void>;
}

interface StoredEntry {
  /** `sealed`: safeStorage output; `plain`: the UTF-8 value itself. Both base64. */
  format: 'sealed' | 'plain';
  data: string;
}

interface SecretsFile {
  version: 1;
  weakProtectionConsent: boolean;
  entries: Partial<Record<SecretKey, StoredEntry>>;
}

function emptyFile(): SecretsFile {
  return { version: 1, weakProtectionConsent: false, entries: {} };
}

function isSecretsFile(value: unknown): value is SecretsFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v['version'] !== 1 || typeof v['weakProtectionConsent'] !== 'boolean') return false;
  const entries = v['entries'];
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) return false;
  return Object.entries(entries).every(
    ([key, entry]) =>
      (SECRET_KEYS as readonly string[]).includes(key) &&
      typeof entry === 'object' &&
      entry !== null &&
      ((entry as StoredEntry).format === 'sealed' || (entry as StoredEntry).format === 'plain') &&
      typeof (entry as StoredEntry).data === 'string',
  );
}

/** Loads the file; a broken one is moved aside (never deleted) and the store starts empty. */
function loadFile(path: string, logger: Logger): SecretsFile {
  const read = readJsonFileSync(path);
  if (read.kind === 'missing') return emptyFile();
  const problem =
    read.kind === 'error'
      ? read.message
      : isSecretsFile(read.value)
        ? null
        : `${path}: unexpected structure`;
  if (problem === null && read.kind === 'ok') return read.value as SecretsFile;
  const aside = `${path}.broken-${Date.now()}`;
  try {
    renameSync(path, aside);
    logger.error(`secrets file unusable (${problem}); moved to ${aside}; starting empty`);
  } catch (error) {
    logger.error(
      `secrets file unusable (${problem}) and could not be moved aside: ${(error as Error).message}`,
    );
  }
  return emptyFile();
}

type Sealing = { kind: 'safeStorage' } | { kind: 'plain' };

/** Works out the backend and protection level. Call after the app is ready (safeStorage needs it). */
async function detectBackend(params: {
  electron: ElectronSeam;
  platform: string;
  plaintextMode: boolean;
}): Promise<{
  backend: SecretsBackendInfo['backend'];
  protection: SecretsBackendInfo['protection'];
  sealing: Sealing;
}> {
  if (params.plaintextMode)
    return { backend: 'plaintext', protection: 'none', sealing: { kind: 'plain' } };
  const available = await params.electron.safeStorage.isAsyncEncryptionAvailable();
  if (!available) return { backend: 'unavailable', protection: 'none', sealing: { kind: 'plain' } };
  if (params.platform === 'darwin')
    return { backend: 'keychain', protection: 'os', sealing: { kind: 'safeStorage' } };
  if (params.platform === 'win32')
    return { backend: 'dpapi', protection: 'os', sealing: { kind: 'safeStorage' } };
  const selected = params.electron.safeStorage.getSelectedStorageBackend();
  switch (selected) {
    case 'gnome_libsecret':
    case 'kwallet':
    case 'kwallet5':
    case 'kwallet6':
      return { backend: selected, protection: 'os', sealing: { kind: 'safeStorage' } };
    case 'basic_text':
      return { backend: 'basic_text', protection: 'weak', sealing: { kind: 'safeStorage' } };
    default:
      // Unknown means we cannot tell what protects the key: treat it as weak.
      return { backend: 'unknown', protection: 'weak', sealing: { kind: 'safeStorage' } };
  }
}

/** Creates the store. `plaintextMode` is the explicit test-machine mode. */
export async function createSecretsStore(params: {
  electron: ElectronSeam;
  filePath: string;
  platform: string;
  plaintextMode: boolean;
  logger: Logger;
}): Promise<SecretsStore> {
  const { electron, filePath, logger } = params;
  const { backend, protection, sealing } = await detectBackend(params);
  let file = loadFile(filePath, logger);
  // Serialises file writes so concurrent IPC calls cannot interleave.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };
  // Memory changes only after the file is written, so a failed write leaves both as they were.
  const commit = async (next: SecretsFile): Promise<void> => {
    await writeJsonFileAtomic(filePath, next, { mode: 0o600 });
    file = next;
  };
  const withEntry = (key: SecretKey, entry: StoredEntry): SecretsFile => ({
    ...file,
    entries: { ...file.entries, [key]: entry },
  });

  const info = (): SecretsBackendInfo => {
    const consentNeeded = backend !== 'plaintext' && protection !== 'os';
    return {
      backend,
      protection,
      needsConsent: consentNeeded && !file.weakProtectionConsent,
      consented: file.weakProtectionConsent,
    };
  };
  logger.info(`secrets backend: ${backend} (protection: ${protection})`);
  if (backend === 'plaintext')
    logger.warn('secrets are stored UNSEALED (plaintext mode for test machines)');

  const seal = async (value: string): Promise<StoredEntry> =>
    sealing.kind === 'safeStorage'
      ? {
          format: 'sealed',
          data: Buffer.from(await electron.safeStorage.encryptStringAsync(value)).toString(
            'base64',
          ),
        }
      : { format: 'plain', data: Buffer.from(value, 'utf8').toString('base64') };

  // Re-sealing is an improvement, not a requirement: if it fails the value is still returned.
  const reseal = async (key: SecretKey, value: string): Promise<void> => {
    try {
      await commit(withEntry(key, await seal(value)));
      logger.info(`secret "${key}" re-sealed with ${backend}`);
    } catch (error) {
      logger.warn(`secret "${key}" could not be re-sealed: ${(error as Error).message}`);
    }
  };

  return {
    backendInfo: info,
    consentToWeakProtection: () =>
      serial(async () => {
        if (!file.weakProtectionConsent) {
          await commit({ ...file, weakProtectionConsent: true });
          logger.warn(`user consented to ${protection} protection of secrets (backend ${backend})`);
        }
        return info();
      }),
    get: (key) =>
      serial(async () => {
        const entry = file.entries[key];
        if (!entry) return null;
        const bytes = Buffer.from(entry.data, 'base64');
        if (entry.format === 'plain') {
          const value = bytes.toString('utf8');
          // A value written in plaintext mode is sealed as soon as sealing is available.
          if (sealing.kind === 'safeStorage' && !info().needsConsent) await reseal(key, value);
          return value;
        }
        if (sealing.kind !== 'safeStorage') {
          logger.warn(
            `secret "${key}" is sealed but sealing is not available now (${backend}); not returned`,
          );
          return null;
        }
        try {
          const { result, shouldReEncrypt } = await electron.safeStorage.decryptStringAsync(bytes);
          if (shouldReEncrypt) await reseal(key, result);
          return result;
        } catch (error) {
          logger.warn(
            `secret "${key}" could not be unsealed (keyring changed?): ${(error as Error).message}`,
          );
          return null;
        }
      }),
    set: (key, value) =>
      serial(async () => {
        if (info().needsConsent) {
          logger.warn(`secret "${key}" not stored: consent to ${protection} protection required`);
          return { ok: false as const, reason: 'consent-required' as const };
        }
        if (value.length > MAX_SECRET_LENGTH)
          return { ok: false as const, reason: 'too-large' as const };
        try {
          await commit(withEntry(key, await seal(value)));
          return { ok: true as const };
        } catch (error) {
          logger.error(`secret "${key}" could not be stored: ${(error as Error).message}`);
          return { ok: false as const, reason: 'failed' as const };
        }
      }),
    delete: (key) =>
      serial(async () => {
        if (!file.entries[key]) return;
        const entries = { ...file.entries };
        delete entries[key];
        await commit({ ...file, entries });
      }),
  };
}

/** Registers the `secrets:*` channels. */
export function setupSecretsIpc(params: { registry: IpcRegistry; store: SecretsStore }): void {
  const { registry, store } = params;
  registry.handle('secrets:backend', () => store.backendInfo());
  registry.handle('secrets:consentPlaintext', () => store.consentToWeakProtection());
  registry.handle('secrets:get', async ({ key }) => ({ value: await store.get(key) }));
  registry.handle('secrets:set', ({ key, value }) => store.set(key, value));
  registry.handle('secrets:delete', async ({ key }) => {
    await store.delete(key);
    return { ok: true as const };
  });
}
