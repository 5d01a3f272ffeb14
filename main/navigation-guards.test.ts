import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from './logger';
import { setupSecurityGuards } from './navigation-guards';
import { createFakeElectron } from './testing/fake-electron';

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
