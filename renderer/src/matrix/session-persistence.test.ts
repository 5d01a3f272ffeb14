import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { MemorySecretVault, WebSecretVault } from '../platform/secret-vault';
import { clearSession, loadSession, newStorageKey, saveSession } from './session-persistence';

const credentials = {
  homeserverUrl: 'http://127.0.0.1:8008',
  userId: '@zhangwei:hongyan.test',
  deviceId: 'ABCDEF',
  accessToken: 'syt_secret_token',
};

describe('session persistence', () => {
  it('round-trips a session through the web vault and stores only ciphertext', async () => {
    const factory = new IDBFactory();
    const vault = new WebSecretVault(factory);
    const storageKey = newStorageKey();
    await saveSession(vault, { credentials, storageKey });

    // A fresh vault object (an app restart) reads it back without the password.
    const restored = await loadSession(new WebSecretVault(factory));
    expect(restored.session?.credentials).toEqual(credentials);
    expect(restored.session?.storageKey).toEqual(storageKey);

    // What IndexedDB holds is not the token.
    const db = await new Promise<IDBDatabase>((resolve) => {
      const req = factory.open('hongyan-secrets', 1);
      req.onsuccess = () => resolve(req.result);
    });
    const raw = await new Promise<unknown>((resolve) => {
      const req = db.transaction('kv').objectStore('kv').get('secret:session');
      req.onsuccess = () => resolve(req.result);
    });
    db.close();
    const bytes = (raw as { data: Uint8Array }).data;
    expect(new TextDecoder().decode(bytes)).not.toContain('syt_secret_token');
    const key = await new Promise<unknown>((resolve) => {
      const d = factory.open('hongyan-secrets', 1);
      d.onsuccess = () => {
        const req = d.result.transaction('kv').objectStore('kv').get('wrapping-key');
        req.onsuccess = () => {
          resolve(req.result);
          d.result.close();
        };
      };
    });
    expect((key as CryptoKey).extractable).toBe(false);
  });

  it('keeps the refresh token and expiry sealed, and still loads a session saved without them', async () => {
    const factory = new IDBFactory();
    const refreshing = {
      ...credentials,
      refreshToken: 'syr_secret_refresh',
      accessTokenExpiresAt: 1_780_000_000_000,
    };
    await saveSession(new WebSecretVault(factory), {
      credentials: refreshing,
      storageKey: newStorageKey(),
    });
    expect((await loadSession(new WebSecretVault(factory))).session?.credentials).toEqual(
      refreshing,
    );

    // A session saved before access tokens expired has neither field: it loads as it is.
    const old = new MemorySecretVault();
    await saveSession(old, { credentials, storageKey: newStorageKey() });
    const loaded = await loadSession(old);
    expect(loaded.error).toBeUndefined();
    expect(loaded.session?.credentials).toEqual(credentials);
  });

  it('refuses a saved refresh token or expiry of the wrong type, naming the field', async () => {
    const vault = new MemorySecretVault();
    await saveSession(vault, { credentials, storageKey: newStorageKey() });
    await vault.set('session', JSON.stringify({ ...credentials, refreshToken: 42 }));
    expect(await loadSession(vault)).toEqual({
      session: null,
      error: 'saved session: field "refreshToken" is not a token',
    });
    await vault.set('session', JSON.stringify({ ...credentials, accessTokenExpiresAt: 'soon' }));
    expect(await loadSession(vault)).toEqual({
      session: null,
      error: 'saved session: field "accessTokenExpiresAt" is not a number',
    });
  });

  it('forgets the session on logout', async () => {
    const factory = new IDBFactory();
    const vault = new WebSecretVault(factory);
    await saveSession(vault, { credentials, storageKey: newStorageKey() });
    await vault.destroy();
    expect((await loadSession(new WebSecretVault(factory))).session).toBeNull();
  });

  it('reports a damaged entry instead of crashing', async () => {
    const vault = new MemorySecretVault();
    await saveSession(vault, { credentials, storageKey: newStorageKey() });
    await vault.set('session', '{"userId":"@a:b"}');
    const r = await loadSession(vault);
    expect(r.session).toBeNull();
    expect(r.error).toMatch(/homeserverUrl/);
    await vault.set('session', 'not json');
    expect((await loadSession(vault)).error).toMatch(/JSON/);
    await clearSession(vault);
    expect(await loadSession(vault)).toEqual({ session: null });
  });
});
