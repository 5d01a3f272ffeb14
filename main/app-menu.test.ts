import { describe, expect, it } from 'vitest';
import { appMenuTemplate } from './app-menu';

const roles = (items: unknown): string[] => JSON.stringify(items).match(/"role":"\w+"/g) ?? [];

describe('application menu', () => {
  it('has no menu bar on Windows and Linux once installed', () => {
    for (const platform of ['win32', 'linux'])
      expect(appMenuTemplate({ platform, packaged: true, appName: 'Hongyan' })).toBeNull();
  });

  it('keeps on macOS only what the platform needs: app, Edit and Window, no reload or DevTools', () => {
    const menu = appMenuTemplate({ platform: 'darwin', packaged: true, appName: 'Hongyan' });
    const used = roles(menu).join(' ');
    expect(used).toContain('"role":"quit"');
    expect(used).toContain('"role":"paste"');
    expect(used).not.toContain('reload');
    expect(used).not.toContain('toggleDevTools');
  });

  it('adds Reload and DevTools in a development run only', () => {
    for (const platform of ['darwin', 'linux']) {
      const dev = roles(appMenuTemplate({ platform, packaged: false, appName: 'Hongyan' }));
      expect(dev).toEqual(expect.arrayContaining(['"role":"reload"', '"role":"toggleDevTools"']));
    }
  });
});
