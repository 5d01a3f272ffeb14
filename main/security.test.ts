import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from './logger';
import {
  assertHardenedWebPreferences,
  checkExternalUrl,
  createSecureWindow,
  hardenedWebPreferences,
  openExternalChecked,
  setupSecurityGuards,
} from './security';
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
      if (/\.createBrowserWindow\s*\(/.test(text) && file !== 'security.ts')
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

describe('external links', () => {
  const hostile: [string, unknown][] = [
    ['javascript URL', 'javascript:alert(1)'],
    ['javascript with case and whitespace', ' JaVaScRiPt:alert(1)'],
    ['javascript split by a newline', 'java\nscript:alert(1)'],
    ['javascript split by a tab', 'java\tscript:alert(1)'],
    ['file URL', 'file:///etc/passwd'],
    ['Windows file URL', 'file://C:/Windows/System32/calc.exe'],
    ['UNC file URL', 'file://attacker/share/payload.exe'],
    ['data URL', 'data:text/html,<script>alert(1)</script>'],
    ['vbscript', 'vbscript:msgbox(1)'],
    ['custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['smb', 'smb://attacker/share'],
    ['our own deep-link scheme', 'hongyan://room/!a:b'],
    ['the app scheme', 'app://hongyan/index.html'],
    ['credentials in URL', 'https://user:pass@example.org/'],
    ['host-confusion credentials', 'https://gov.cn@evil.example/'],
    ['username only', 'https://admin@example.org/'],
    ['relative URL', '/relative/path'],
    ['scheme-relative URL', '//evil.example/'],
    ['not a string', 42],
    ['null', null],
    ['empty', ''],
    ['NUL byte', 'https://example.org/\u0000'],
    ['mailto with attachment', 'mailto:a@example.org?attach=/etc/passwd'],
    ['mailto with an unknown parameter', 'mailto:a@example.org?x-evil=1'],
    ['huge URL', `https://example.org/${'a'.repeat(9000)}`],
  ];
  it.each(hostile)('refuses %s', (_label, url) => {
    const result = checkExternalUrl(url);
    expect(result.ok).toBe(false);
  });

  const allowed: [string, string, string][] = [
    ['https', 'https://www.gov.cn/zhengce/', 'https://www.gov.cn/zhengce/'],
    ['http', 'http://example.org', 'http://example.org/'],
    [
      'mailto',
      'mailto:office@example.gov.cn?subject=Hi',
      'mailto:office@example.gov.cn?subject=Hi',
    ],
    // Unicode hosts are opened in their punycode form, so a look-alike cannot pass as the real thing.
    ['Unicode host', 'https://аpple.com/', 'https://xn--pple-43d.com/'],
    ['Chinese domain', 'https://政府.cn/', 'https://xn--mxtq1m.cn/'],
    ['backslash normalised', 'https:\\\\example.org\\a', 'https://example.org/a'],
  ];
  it.each(allowed)('allows %s, normalised', (_label, url, expected) => {
    expect(checkExternalUrl(url)).toEqual({ ok: true, url: expected });
  });

  it('opens only checked links, and logs refusals without the link', async () => {
    const electron = createFakeElectron({ baseDir: '/tmp/none' });
    const logger = createMemoryLogger();
    await openExternalChecked({ electron, logger, url: 'https://example.org/?token=s3cret' });
    await openExternalChecked({ electron, logger, url: 'javascript:alert("s3cret")' });
    expect(electron.openedExternal).toEqual(['https://example.org/?token=s3cret']);
    expect(logger.text()).toContain('external link refused');
    expect(logger.text()).not.toContain('s3cret');
  });
});

describe('navigation and window-open guards', () => {
  function guardedContents(): {
    electron: ReturnType<typeof createFakeElectron>;
    contents: ReturnType<ReturnType<typeof createFakeElectron>['newWebContents']>;
    logger: ReturnType<typeof createMemoryLogger>;
  } {
    const electron = createFakeElectron({ baseDir: '/tmp/none' });
    const logger = createMemoryLogger();
    setupSecurityGuards({ electron, logger });
    const contents = electron.newWebContents();
    // Every web contents the app creates gets the guards, not only windows from the factory.
    electron.emit.webContentsCreated(contents);
    return { electron, contents, logger };
  }

  const offApp = [
    'https://evil.example/',
    'http://127.0.0.1:8008/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,hi',
    'app://other-host/index.html',
    'app://hongyan:8080/index.html',
    'app://user@hongyan/index.html',
    'hongyan://room/!a:b',
    'about:blank',
    'chrome://settings',
    'devtools://devtools/bundled/inspector.html',
  ];
  it.each(offApp)('denies navigation to %s', (url) => {
    const { contents } = guardedContents();
    expect(contents.navigate(url)).toBe(true);
    expect(contents.navigate(url, false)).toBe(true);
    expect(contents.redirect(url)).toBe(true);
  });

  it('allows navigation within app://hongyan (reload, in-app routes)', () => {
    const { contents } = guardedContents();
    expect(contents.navigate('app://hongyan/index.html')).toBe(false);
    expect(contents.navigate('app://hongyan/rooms/abc')).toBe(false);
  });

  it('denies every window.open, and opens only safe links externally', () => {
    const { electron, contents } = guardedContents();
    expect(contents.openWindow('https://www.gov.cn/')).toBe('deny');
    expect(contents.openWindow('app://hongyan/index.html')).toBe('deny');
    expect(contents.openWindow('javascript:alert(1)')).toBe('deny');
    expect(contents.openWindow('file:///etc/passwd')).toBe('deny');
    expect(electron.openedExternal).toEqual(['https://www.gov.cn/']);
  });

  it('prevents <webview> attachment', () => {
    const { contents, logger } = guardedContents();
    expect(contents.attachWebview()).toBe(true);
    expect(logger.text()).toContain('<webview> attachment denied');
  });

  it('logs a denied navigation with the origin only', () => {
    const { contents, logger } = guardedContents();
    contents.navigate('https://evil.example/steal?loginToken=s3cret');
    expect(logger.text()).toContain('https://evil.example');
    expect(logger.text()).not.toContain('s3cret');
  });
});
