import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIpcRegistry } from './ipc';
import { createMemoryLogger, type MemoryLogger } from './logger';
import { createSecretsStore, plaintextSecretsRequested, setupSecretsIpc } from './secrets-store';
import { createFakeElectron, type FakeElectron } from './testing/fake-electron';

const SECRET = 'session-token-S3CRET-value';
let dir: string;
let filePath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hongyan-secrets-'));
  mkdirSync(join(dir, 'userData'));
  filePath = join(dir, 'userData', 'secrets.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fake(safeStorage: FakeElectron['state']['safeStorage']): FakeElectron {
  const electron = createFakeElectron({ baseDir: dir });
  electron.state.safeStorage = safeStorage;
  return electron;
}

/** Opens the store at `filePath` as the app would on Linux with its keyring, unless told otherwise. */
function openStore(
  electron: FakeElectron,
  opts: {
    filePath?: string;
    platform?: string;
    plaintextMode?: boolean;
    logger?: MemoryLogger;
  } = {},
): ReturnType<typeof createSecretsStore> {
  return createSecretsStore({
    electron,
    filePath: opts.filePath ?? filePath,
    platform: opts.platform ?? 'linux',
    plaintextMode: opts.plaintextMode ?? false,
    logger: opts.logger ?? createMemoryLogger(),
  });
}

describe('plaintext mode flag', () => {
  it('is requested by the flag or the environment variable', () => {
    expect(plaintextSecretsRequested(['app', '--hongyan-plaintext-secrets'], {})).toBe(true);
    expect(plaintextSecretsRequested([], { HONGYAN_PLAINTEXT_SECRETS: '1' })).toBe(true);
    expect(plaintextSecretsRequested([], { HONGYAN_PLAINTEXT_SECRETS: '0' })).toBe(false);
    expect(plaintextSecretsRequested([], {})).toBe(false);
  });
});

describe('sealed mode (OS keyring)', () => {
  it('seals values, reports the backend, and never writes or logs the plaintext', async () => {
    const logger = createMemoryLogger();
    const store = await openStore(fake({ available: true, backend: 'gnome_libsecret' }), {
      logger,
    });
    expect(store.backendInfo()).toEqual({
      backend: 'gnome_libsecret',
      protection: 'os',
      needsConsent: false,
      consented: false,
    });
    await expect(store.set('session', SECRET)).resolves.toEqual({ ok: true });
    await expect(store.get('session')).resolves.toBe(SECRET);
    const onDisk = readFileSync(filePath, 'utf8');
    expect(onDisk).not.toContain(SECRET);
    expect(onDisk).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(JSON.parse(onDisk).entries.session.format).toBe('sealed');
    expect(statSync(filePath).mode & 0o777).toBe(0o600);
    expect(logger.text()).not.toContain('S3CRET');
  });

  it('survives a restart, deletes, and returns null for unknown keys', async () => {
    const electron = fake({ available: true, backend: 'kwallet5' });
    const first = await openStore(electron);
    await first.set('crypto-store-key', 'k1');
    const second = await openStore(electron);
    await expect(second.get('crypto-store-key')).resolves.toBe('k1');
    await expect(second.get('session')).resolves.toBeNull();
    await second.delete('crypto-store-key');
    await expect(second.get('crypto-store-key')).resolves.toBeNull();
  });

  it('reports keychain and DPAPI on macOS and Windows', async () => {
    const mac = await openStore(fake({ available: true, backend: 'x' }), { platform: 'darwin' });
    expect(mac.backendInfo()).toMatchObject({ backend: 'keychain', protection: 'os' });
    const win = await openStore(fake({ available: true, backend: 'x' }), { platform: 'win32' });
    expect(win.backendInfo()).toMatchObject({ backend: 'dpapi', protection: 'os' });
  });

  it('re-seals when the keyring asks for it', async () => {
    const electron = fake({ available: true, backend: 'gnome_libsecret' });
    const store = await openStore(electron);
    await store.set('session', SECRET);
    electron.state.safeStorage.shouldReEncrypt = true;
    const logger = createMemoryLogger();
    const again = await openStore(electron, { logger });
    await expect(again.get('session')).resolves.toBe(SECRET);
    expect(logger.text()).toContain('re-sealed');
  });

  it('returns null (and keeps the entry) when a value cannot be unsealed', async () => {
    writeFileSync(
      filePath,
      JSON.stringify({
        version: 1,
        weakProtectionConsent: false,
        entries: { session: { format: 'sealed', data: Buffer.from('garbage').toString('base64') } },
      }),
    );
    const logger = createMemoryLogger();
    const store = await openStore(fake({ available: true, backend: 'gnome_libsecret' }), {
      logger,
    });
    await expect(store.get('session')).resolves.toBeNull();
    expect(logger.text()).toContain('could not be unsealed');
    expect(JSON.parse(readFileSync(filePath, 'utf8')).entries.session).toBeDefined();
  });
});

describe('basic_text (Linux without a keyring)', () => {
  it('refuses writes until the user consents, then remembers the consent', async () => {
    const electron = fake({ available: true, backend: 'basic_text' });
    const store = await openStore(electron);
    expect(store.backendInfo()).toEqual({
      backend: 'basic_text',
      protection: 'weak',
      needsConsent: true,
      consented: false,
    });
    await expect(store.set('session', SECRET)).resolves.toEqual({
      ok: false,
      reason: 'consent-required',
    });
    expect(existsSync(filePath)).toBe(false);

    await expect(store.consentToWeakProtection()).resolves.toMatchObject({
      needsConsent: false,
      consented: true,
    });
    await expect(store.set('session', SECRET)).resolves.toEqual({ ok: true });
    const restarted = await openStore(electron);
    expect(restarted.backendInfo().needsConsent).toBe(false);
    await expect(restarted.get('session')).resolves.toBe(SECRET);
  });

  it('treats an unknown backend as weak, and no encryption at all as none, both needing consent', async () => {
    const unknown = await openStore(fake({ available: true, backend: 'unknown' }));
    expect(unknown.backendInfo()).toMatchObject({
      backend: 'unknown',
      protection: 'weak',
      needsConsent: true,
    });
    const none = await openStore(fake({ available: false, backend: 'basic_text' }), {
      filePath: join(dir, 'other.json'),
    });
    expect(none.backendInfo()).toMatchObject({
      backend: 'unavailable',
      protection: 'none',
      needsConsent: true,
    });
  });
});

describe('plaintext mode (test machines)', () => {
  it('stores unsealed without asking, reports it, and warns in the log', async () => {
    const logger = createMemoryLogger();
    const store = await openStore(fake({ available: true, backend: 'gnome_libsecret' }), {
      plaintextMode: true,
      logger,
    });
    expect(store.backendInfo()).toEqual({
      backend: 'plaintext',
      protection: 'none',
      needsConsent: false,
      consented: false,
    });
    await expect(store.set('session', SECRET)).resolves.toEqual({ ok: true });
    expect(JSON.parse(readFileSync(filePath, 'utf8')).entries.session.format).toBe('plain');
    await expect(store.get('session')).resolves.toBe(SECRET);
    expect(logger.text()).toContain('UNSEALED');
    expect(logger.text()).not.toContain('S3CRET');
  });

  it('seals a plaintext-mode value once the app runs with a keyring', async () => {
    const plain = await openStore(fake({ available: true, backend: 'gnome_libsecret' }), {
      plaintextMode: true,
    });
    await plain.set('session', SECRET);
    const sealed = await openStore(fake({ available: true, backend: 'gnome_libsecret' }));
    await expect(sealed.get('session')).resolves.toBe(SECRET);
    expect(JSON.parse(readFileSync(filePath, 'utf8')).entries.session.format).toBe('sealed');
  });

  it('does not return a sealed value when sealing is not available', async () => {
    const electron = fake({ available: true, backend: 'gnome_libsecret' });
    const sealed = await openStore(electron);
    await sealed.set('session', SECRET);
    const plain = await openStore(electron, { plaintextMode: true });
    await expect(plain.get('session')).resolves.toBeNull();
  });
});

describe('broken files and limits', () => {
  it.each([
    ['not JSON', '{oops'],
    ['wrong structure', JSON.stringify({ version: 2 })],
    [
      'unknown key',
      JSON.stringify({
        version: 1,
        weakProtectionConsent: false,
        entries: { password: { format: 'plain', data: '' } },
      }),
    ],
  ])('moves a file with %s aside and starts empty', async (_label, content) => {
    writeFileSync(filePath, content);
    const logger = createMemoryLogger();
    const store = await openStore(fake({ available: true, backend: 'gnome_libsecret' }), {
      logger,
    });
    await expect(store.get('session')).resolves.toBeNull();
    const aside = readdirSync(join(dir, 'userData')).filter((f) =>
      f.startsWith('secrets.json.broken-'),
    );
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, 'userData', aside[0] ?? ''), 'utf8')).toBe(content);
    expect(logger.text()).toContain('secrets file unusable');
  });

  it('refuses an oversized value', async () => {
    const store = await openStore(fake({ available: true, backend: 'gnome_libsecret' }));
    await expect(store.set('session', 'x'.repeat(64 * 1024 + 1))).resolves.toEqual({
      ok: false,
      reason: 'too-large',
    });
  });

  it('keeps concurrent writes consistent', async () => {
    const store = await openStore(fake({ available: true, backend: 'gnome_libsecret' }));
    await Promise.all([
      store.set('session', 'a'),
      store.set('crypto-store-key', 'b'),
      store.set('session', 'c'),
    ]);
    const restarted = await openStore(fake({ available: true, backend: 'gnome_libsecret' }));
    await expect(restarted.get('session')).resolves.toBe('c');
    await expect(restarted.get('crypto-store-key')).resolves.toBe('b');
  });
});

describe('secrets over IPC', () => {
  it('serves every secrets channel', async () => {
    const electron = fake({ available: true, backend: 'basic_text' });
    const store = await openStore(electron);
    setupSecretsIpc({
      registry: createIpcRegistry({ electron, logger: createMemoryLogger() }),
      store,
    });
    await expect(electron.invoke('secrets:backend', undefined)).resolves.toMatchObject({
      needsConsent: true,
    });
    await expect(electron.invoke('secrets:set', { key: 'session', value: 'v' })).resolves.toEqual({
      ok: false,
      reason: 'consent-required',
    });
    await expect(electron.invoke('secrets:consentPlaintext', undefined)).resolves.toMatchObject({
      consented: true,
    });
    await expect(electron.invoke('secrets:set', { key: 'session', value: 'v' })).resolves.toEqual({
      ok: true,
    });
    await expect(electron.invoke('secrets:get', { key: 'session' })).resolves.toEqual({
      value: 'v',
    });
    await expect(electron.invoke('secrets:delete', { key: 'session' })).resolves.toEqual({
      ok: true,
    });
    await expect(electron.invoke('secrets:get', { key: 'session' })).resolves.toEqual({
      value: null,
    });
  });
});
