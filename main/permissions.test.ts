import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from './logger';
import { isPermissionAllowed, setupPermissions } from './permissions';
import { createFakeElectron } from './testing/fake-electron';

describe('permissions', () => {
  const denied = [
    'media',
    'geolocation',
    'clipboard-read',
    'display-capture',
    'midiSysex',
    'openExternal',
    'hid',
    'serial',
    'usb',
    'fileSystem',
    'unknown',
    'pointerLock',
    'fullscreen',
  ];

  it.each(denied)('denies %s even to the app', (permission) => {
    expect(isPermissionAllowed({ permission, requestingUrl: 'app://hongyan/index.html' })).toBe(
      false,
    );
  });

  it('grants notifications to the app origin only', () => {
    expect(
      isPermissionAllowed({
        permission: 'notifications',
        requestingUrl: 'app://hongyan/index.html',
      }),
    ).toBe(true);
    expect(
      isPermissionAllowed({ permission: 'notifications', requestingUrl: 'app://hongyan' }),
    ).toBe(true);
    expect(
      isPermissionAllowed({ permission: 'notifications', requestingUrl: 'https://evil.example/' }),
    ).toBe(false);
    expect(isPermissionAllowed({ permission: 'notifications', requestingUrl: '' })).toBe(false);
  });

  it('installs request, check and device handlers that deny by default', () => {
    const electron = createFakeElectron({ baseDir: '/tmp/none' });
    const logger = createMemoryLogger();
    setupPermissions({ electron, logger });
    const answers: boolean[] = [];
    electron.state.permissionRequest?.(
      { permission: 'media', requestingUrl: 'app://hongyan/index.html' },
      (g) => answers.push(g),
    );
    electron.state.permissionRequest?.(
      { permission: 'notifications', requestingUrl: 'app://hongyan/index.html' },
      (g) => answers.push(g),
    );
    expect(answers).toEqual([false, true]);
    expect(
      electron.state.permissionCheck?.({
        permission: 'geolocation',
        requestingUrl: 'app://hongyan',
      }),
    ).toBe(false);
    expect(
      electron.state.permissionCheck?.({
        permission: 'notifications',
        requestingUrl: 'app://hongyan',
      }),
    ).toBe(true);
    expect(electron.state.devicePermission?.()).toBe(false);
    expect(logger.text()).toContain('permission request "media" denied');
  });
});
