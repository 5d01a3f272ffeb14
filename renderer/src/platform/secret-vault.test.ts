import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { VaultLockedError, WebSecretVault } from './secret-vault';
import { keepSessionAs, wipeLockedSession } from '../matrix/session-keeping';

/** Few rounds: these tests are about behaviour, not the cost of a guess. */
const ITERATIONS = 1000;

/** Everything the vault's database holds, as an attacker with a copy of the profile reads it. */
async function rawEntries(factory: IDBFactory): Promise<unknown[]> {
  const db = await new Promise<IDBDatabase>((resolve) => {
    const req = factory.open('hongyan-secrets', 1);
    req.onsuccess = () => resolve(req.result);
  });
  const values = await new Promise<unknown[]>((resolve) => {
    const req = db.transaction('kv').objectStore('kv').getAll();
    req.onsuccess = () => resolve(req.result);
  });
  db.close();
  return values;
}

describe('web vault under a passphrase', () => {
  it('keeps no key: a copy of the database opens only with the passphrase', async () => {
    const factory = new IDBFactory();
    const vault = new WebSecretVault(factory);
    await vault.usePassphrase('correct horse battery', ITERATIONS);
    await vault.set('session', '{"accessToken":"syt_secret_token"}');
    expect(await vault.get('session')).toContain('syt_secret_token');

    const entries = await rawEntries(factory);
    expect(entries.some((e) => e instanceof CryptoKey)).toBe(false);
    expect(
      JSON.stringify(entries, (_k, v: unknown) =>
        v instanceof Uint8Array ? new TextDecoder().decode(v) : v,
      ),
    ).not.toContain('syt_secret_token');

    // The next start (or a copied profile): locked until the passphrase is entered.
    const copy = new WebSecretVault(factory);
    expect(await copy.state()).toBe('locked');
    await expect(copy.get('session')).rejects.toBeInstanceOf(VaultLockedError);
    expect(await copy.unlock('wrong passphrase')).toBe(false);
    expect(await copy.state()).toBe('locked');
    expect(await copy.unlock('correct horse battery')).toBe(true);
    expect(await copy.get('session')).toContain('syt_secret_token');
  });

  it('keeps the device key by default, and nothing at all for a session-only sign-in', async () => {
    const factory = new IDBFactory();
    const vault = new WebSecretVault(factory);
    expect(await keepSessionAs(vault, { mode: 'device' })).toBe(true);
    await vault.set('session', 'x');
    expect(await new WebSecretVault(factory).state()).toBe('open');
    expect(await new WebSecretVault(factory).get('session')).toBe('x');

    expect(await keepSessionAs(vault, { mode: 'session' })).toBe(false);
    expect(await new WebSecretVault(factory).get('session')).toBeNull();
  });

  it('switching from a passphrase to the device key forgets what the passphrase sealed', async () => {
    const factory = new IDBFactory();
    const vault = new WebSecretVault(factory);
    await vault.usePassphrase('first passphrase', ITERATIONS);
    await vault.set('session', 'old');
    await vault.useDeviceKey();
    expect(await vault.get('session')).toBeNull();
    expect(await new WebSecretVault(factory).state()).toBe('open');
  });

  it('a forgotten passphrase wipes every database of the app, and only those', async () => {
    const factory = new IDBFactory();
    const vault = new WebSecretVault(factory);
    await vault.usePassphrase('first passphrase', ITERATIONS);
    for (const name of [
      'matrix-js-sdk:hongyan-sync:@a:x:DEV',
      'hongyan-outbox:@a:x:DEV',
      'other-app',
    ])
      await new Promise<void>((resolve) => {
        const req = factory.open(name, 1);
        req.onsuccess = () => {
          req.result.close();
          resolve();
        };
      });
    await wipeLockedSession(new WebSecretVault(factory), factory);
    const left = (await factory.databases()).map((d) => d.name);
    expect(left).toEqual(['other-app']);
  });
});
