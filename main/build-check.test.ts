// Build check: the packaging config keeps the security settings the app relies on, and the window
// factory still hands out the hardened web preferences.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from './logger';
import { assertHardenedWebPreferences, createSecureWindow } from './secure-window';
import { setupSecurityGuards } from './navigation-guards';
import { createFakeElectron } from './testing/fake-electron';

const ROOT = join(import.meta.dirname, '..');
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
>;

type Target = { target: string; arch: string[] };

function pngSize(path: string): { width: number; height: number } {
  const bytes = readFileSync(path);
  expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s own schema', () => {
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(
      readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
    ) as object;
    // The schema uses a custom `typeof` keyword for function-valued options; strict mode would reject it.
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('names the app and packages only the built output, in an asar', () => {
    expect(config['appId']).toBe('cn.hongyan.desktop');
    expect(config['productName']).toBe('Hongyan');
    expect(config['asar']).toBe(true);
    expect(config['files']).toEqual(
      expect.arrayContaining(['out/**', 'package.json', '!**/node_modules/**']),
    );
  });

  it('flips every security fuse', () => {
    expect(config['electronFuses']).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds deb and AppImage for x64 and arm64, Windows nsis x64, macOS dmg', () => {
    const linux = config['linux'] as {
      target: Target[];
      desktop: { entry: Record<string, string> };
    };
    expect(linux.target).toEqual([
      { target: 'deb', arch: ['x64', 'arm64'] },
      { target: 'AppImage', arch: ['x64', 'arm64'] },
    ]);
    expect(linux.desktop.entry['Name']).toContain('Hongyan');
    expect((config['win'] as { target: Target[] }).target).toEqual([
      { target: 'nsis', arch: ['x64'] },
    ]);
    expect((config['mac'] as { target: { target: string }[] }).target).toEqual([{ target: 'dmg' }]);
  });

  it('registers hongyan:// and depends on libsecret for the keyring', () => {
    expect(config['protocols']).toEqual([{ name: 'Hongyan link', schemes: ['hongyan'] }]);
    expect((config['deb'] as { depends: string[] }).depends).toContain('libsecret-1-0');
  });

  it('has every icon it refers to, at the right sizes', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(join(ROOT, 'build', 'icons', `${size}x${size}.png`))).toEqual({
        width: size,
        height: size,
      });
    }
    expect(pngSize(join(ROOT, 'build', 'icon.png')).width).toBeGreaterThanOrEqual(512);
    for (const name of ['tray.png', 'tray-unread.png', 'badge-overlay.png']) {
      expect(existsSync(join(ROOT, 'build', 'tray', name)), name).toBe(true);
    }
  });
});

describe('window factory', () => {
  it('creates windows with the hardened web preferences', () => {
    const electron = createFakeElectron({ baseDir: '/tmp/none' });
    createSecureWindow({
      electron,
      guards: setupSecurityGuards({ electron, logger: createMemoryLogger() }),
      preloadPath: '/opt/Hongyan/resources/app.asar/out/preload/index.cjs',
      title: 'Hongyan',
      bounds: { width: 1280, height: 800 },
    });
    const prefs = electron.windows[0]?.options.webPreferences;
    expect(() => assertHardenedWebPreferences(prefs, { packaged: false })).not.toThrow();
    expect(() => assertHardenedWebPreferences(prefs, { packaged: true })).toThrow(/devTools/);
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
  });
});
