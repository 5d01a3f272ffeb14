import type { SessionKeeping } from '../platform/platform';
import { deleteDb } from '../platform/idb';
import type { WebSecretVault } from '../platform/secret-vault';

/**
 * Prepares web mode's vault for a new session kept as the user chose, replacing whatever it held.
 * Returns whether the session is to be saved at all (`false` for 不保存登录).
 */
export async function keepSessionAs(
  vault: WebSecretVault,
  keeping: SessionKeeping,
): Promise<boolean> {
  switch (keeping.mode) {
    case 'device':
      await vault.useDeviceKey();
      return true;
    case 'passphrase':
      await vault.usePassphrase(keeping.passphrase);
      return true;
    case 'session':
      await vault.destroy();
      return false;
  }
}

/**
 * Whether an IndexedDB database is one the app creates: the vault, crypto store, outbox … are named
 * `hongyan-…`; the SDK names the sync cache `matrix-js-sdk:` + the name the app gives it.
 */
export function isAppDatabase(name: string): boolean {
  return name.startsWith('hongyan-') || name.startsWith('matrix-js-sdk:hongyan-');
}

/**
 * The passphrase is forgotten: deletes the vault and every database of the app in this browser.
 * The device's identity cannot be read without the passphrase, so its databases cannot be picked
 * out one by one; the sync cache among them is not encrypted and must not stay behind.
 */
export async function wipeLockedSession(
  vault: WebSecretVault,
  factory: IDBFactory = indexedDB,
): Promise<void> {
  await vault.destroy();
  const names = (await factory.databases?.()) ?? [];
  await Promise.all(
    names
      .map((d) => d.name)
      .filter((name): name is string => !!name && isAppDatabase(name))
      .map((name) => deleteDb(name, factory).catch(() => undefined)),
  );
}
