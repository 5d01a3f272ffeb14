import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from './logger';
import { setupSecurityGuards } from './navigation-guards';
import {
  assertHardenedWebPreferences,
  createSecureWindow,
  hardenedWebPreferences,
} from './secure-window';
import { createFakeElectron } from './testing/fake-electron';

const PRELOAD = '/opt/Hongyan/resources/app.asar/out/preload/index.cjs';
const MAIN_DIR = import.meta.dirname;

function mainSources(): { file: string; text: string }[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'testing') walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        files.push(path);
      }
    }
  };
  walk(MAIN_DIR);
  return files.map((file) => ({
    file: relative(MAIN_DIR, file),
    text: readFileSync(file, 'utf8'),
  }));
}

describe('hardened windows', () => {
  it('the factory creates windows only with the hardened web preferences and our preload', () => {
    const electron = createFakeElectron({ baseDir: '/tmp/none', isPackaged: true });
    const guards = setupSecurityGuards({ electron, logger: createMemoryLogger() });
    const win = createSecureWindow({
      electron,
      guards,
      preloadPath: PRELOAD,
      title: 't',
      bounds: { width: 800, height: 600 },
    });
    const prefs = electron.windows[0]?.options.webPreferences;
    expect(prefs).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      experimentalFeatures: false,
      safeDialogs: true,
      devTools: false,
      preload: PRELOAD,
    });
    expect(electron.windows[0]?.options.show).toBe(false);
    expect(electron.windows[0]?.webContents.hasGuards()).toBe(true);
    expect(win).toBe(electron.windows[0]);
  });

  it('refuses any weakened preference or a foreign preload', () => {
    expect(() => assertHardenedWebPreferences(hardenedWebPreferences(PRELOAD))).not.toThrow();
    const weakenings: Record<string, unknown>[] = [
      { contextIsolation: false },
      { sandbox: false },
      { nodeIntegration: true },
      { webSecurity: false },
      { allowRunningInsecureContent: true },
      { webviewTag: true },
      { navigateOnDragDrop: true },
      { spellcheck: true },
      { nodeIntegrationInSubFrames: true },
      { enableBlinkFeatures: 'Something' },
      { preload: '/tmp/evil.js' },
      { preload: 'out/preload/index.cjs' },
      { devTools: true },
    ];
    for (const change of weakenings) {
      expect(
        () => assertHardenedWebPreferences({ ...hardenedWebPreferences(PRELOAD), ...change }),
        JSON.stringify(change),
      ).toThrow(/window refused/);
    }
    expect(() => assertHardenedWebPreferences(undefined)).toThrow(/missing/);
  });

  it('no main-process module creates a BrowserWindow outside the factory', () => {
    const offenders: string[] = [];
    for (const { file, text } of mainSources()) {
      if (/new\s+BrowserWindow\s*\(/.test(text) && file !== 'electron-real.ts')
        offenders.push(`${file}: new BrowserWindow`);
      if (/\.createBrowserWindow\s*\(/.test(text) && file !== 'secure-window.ts')
        offenders.push(`${file}: createBrowserWindow`);
    }
    expect(offenders).toEqual([]);
    // The one `new BrowserWindow` is preceded by the hardened-preferences assertion.
    const real = readFileSync(join(MAIN_DIR, 'electron-real.ts'), 'utf8');
    expect(real).toMatch(
      /assertHardenedWebPreferences\(options\.webPreferences, \{ packaged: app\.isPackaged \}\);\s*return wrapWindow\(new BrowserWindow\(options\)\)/,
    );
  });

  it('only the Electron adapter and the preload import electron at runtime', () => {
    const importers = mainSources()
      .filter(({ text }) => /^import\s+(?!type\s)[^;]*from\s+'electron'/m.test(text))
      .map(({ file }) => file)
      .sort();
    expect(importers).toEqual(['electron-real.ts', 'preload.ts']);
  });
});
