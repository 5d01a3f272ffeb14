import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  commandLineSettings,
  configFileLocations,
  loadDeploymentConfig,
  setupDeploymentConfigIpc,
  type ConfigFileLocation,
} from './deployment-config';
import { createIpcRegistry } from './ipc';
import { createMemoryLogger } from './logger';
import { createFakeElectron } from './testing/fake-electron';

let dir: string;
let locations: ConfigFileLocation[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hongyan-config-'));
  locations = [
    { source: 'system', path: join(dir, 'etc', 'config.json') },
    { source: 'portable', path: join(dir, 'opt', 'hongyan-config.json') },
    { source: 'user', path: join(dir, 'userData', 'config.json') },
  ];
  for (const l of locations) mkdirSync(join(l.path, '..'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(source: ConfigFileLocation['source'], content: string): string {
  const location = locations.find((l) => l.source === source);
  if (!location) throw new Error(source);
  writeFileSync(location.path, content);
  return location.path;
}

describe('config file locations', () => {
  it('uses the platform system-wide path, the executable folder and userData', () => {
    const env = { ProgramData: 'D:\\ProgramData' };
    expect(
      configFileLocations({
        platform: 'linux',
        env,
        exePath: '/opt/Hongyan/hongyan',
        userDataPath: '/home/u/.config/Hongyan',
      }),
    ).toEqual([
      { source: 'system', path: '/etc/hongyan/config.json' },
      { source: 'portable', path: '/opt/Hongyan/hongyan-config.json' },
      { source: 'user', path: '/home/u/.config/Hongyan/config.json' },
    ]);
    expect(
      configFileLocations({
        platform: 'win32',
        env,
        exePath: 'C:\\Program Files\\Hongyan\\Hongyan.exe',
        userDataPath: 'C:\\Users\\u\\AppData\\Roaming\\Hongyan',
      }),
    ).toEqual([
      { source: 'system', path: 'D:\\ProgramData\\Hongyan\\config.json' },
      { source: 'portable', path: 'C:\\Program Files\\Hongyan\\hongyan-config.json' },
      { source: 'user', path: 'C:\\Users\\u\\AppData\\Roaming\\Hongyan\\config.json' },
    ]);
    expect(
      configFileLocations({
        platform: 'darwin',
        env: {},
        exePath: '/Applications/Hongyan.app/Contents/MacOS/Hongyan',
        userDataPath: '/u',
      })[0],
    ).toEqual({
      source: 'system',
      path: '/Library/Application Support/Hongyan/config.json',
    });
  });
});

describe('command-line settings', () => {
  it('reads --hongyan-* settings and reports bad ones', () => {
    const { raw, problems } = commandLineSettings([
      '/opt/Hongyan/hongyan',
      '--hongyan-homeserver=https://m.gov.cn',
      '--hongyan-watermark=on',
      '--hongyan-content-protection=off',
      '--hongyan-close-to-tray=maybe',
      '--hongyan-update-url',
      '--hongyan-plaintext-secrets',
      '--no-sandbox',
    ]);
    expect(raw).toEqual({
      homeserverUrl: 'https://m.gov.cn',
      watermark: true,
      contentProtection: false,
    });
    expect(problems).toEqual([
      '--hongyan-close-to-tray must be on or off',
      '--hongyan-update-url needs a value (--hongyan-update-url=...)',
    ]);
  });
});

describe('loading layered config', () => {
  it('uses defaults when no file exists', () => {
    const config = loadDeploymentConfig({ locations, argv: [], logger: createMemoryLogger() });
    expect(config.snapshot().problems).toEqual([]);
    expect(config.snapshot().settings.homeserverUrl).toEqual({ value: null, enforced: false });
    expect(config.connectOrigins()).toEqual([]);
  });

  it('applies system, portable, user and command line in order, enforced system values winning', () => {
    write(
      'system',
      JSON.stringify({
        homeserverUrl: { value: 'https://matrix.gov.cn', enforced: true },
        watermark: true,
      }),
    );
    write('portable', JSON.stringify({ closeToTray: true }));
    write('user', JSON.stringify({ homeserverUrl: 'https://evil.example', watermark: false }));
    const config = loadDeploymentConfig({
      locations,
      argv: ['--hongyan-homeserver=https://other.example', '--hongyan-content-protection=on'],
      logger: createMemoryLogger(),
    });
    const { settings, problems } = config.snapshot();
    expect(problems).toEqual([]);
    expect(settings.homeserverUrl).toEqual({ value: 'https://matrix.gov.cn', enforced: true });
    expect(settings.watermark).toEqual({ value: false, enforced: false });
    expect(settings.closeToTray).toEqual({ value: true, enforced: false });
    expect(settings.contentProtection).toEqual({ value: true, enforced: false });
    expect(config.connectOrigins()).toEqual(['https://matrix.gov.cn']);
  });

  it('lets only the system-wide file enforce: a file beside the executable presets, never locks', () => {
    // A portable copy sits where its user can write: its "enforced" would be the user's own lock.
    const portablePath = write(
      'portable',
      JSON.stringify({ notificationText: { value: false, enforced: true } }),
    );
    const config = loadDeploymentConfig({ locations, argv: [], logger: createMemoryLogger() });
    const { settings, problems } = config.snapshot();
    expect(settings.notificationText).toEqual({ value: true, enforced: false });
    expect(problems[0]?.message).toContain(portablePath);
    expect(problems[0]?.message).toContain('only honoured in a system-wide file');

    write('portable', JSON.stringify({ notificationText: false }));
    write('system', JSON.stringify({ notificationText: { value: false, enforced: true } }));
    write('user', JSON.stringify({ notificationText: true }));
    const locked = loadDeploymentConfig({ locations, argv: [], logger: createMemoryLogger() });
    expect(locked.snapshot().settings.notificationText).toEqual({ value: false, enforced: true });
  });

  it('reports a file with broken JSON by path and reason, and keeps the other layers', () => {
    const systemPath = write('system', '{ "watermark": true, ');
    write('user', JSON.stringify({ contentProtection: true }));
    const logger = createMemoryLogger();
    const config = loadDeploymentConfig({ locations, argv: [], logger });
    const { settings, problems } = config.snapshot();
    expect(problems).toHaveLength(1);
    expect(problems[0]?.source).toBe('system');
    expect(problems[0]?.message).toContain(systemPath);
    expect(problems[0]?.message).toContain('not valid JSON');
    expect(settings.watermark.value).toBe(false);
    expect(settings.contentProtection.value).toBe(true);
    expect(logger.text()).toContain(systemPath);
  });

  it('reports an unreadable file (a folder in its place)', () => {
    const user = locations.find((l) => l.source === 'user');
    if (!user) throw new Error('no user location');
    mkdirSync(user.path);
    const { problems } = loadDeploymentConfig({
      locations,
      argv: [],
      logger: createMemoryLogger(),
    }).snapshot();
    expect(problems[0]?.message).toMatch(/cannot be read \(EISDIR\)/);
  });

  it('drops a file with an invalid value whole, naming the file and setting', () => {
    const path = write('system', JSON.stringify({ watermark: true, homeserverUrl: 'ftp://x' }));
    const { settings, problems } = loadDeploymentConfig({
      locations,
      argv: [],
      logger: createMemoryLogger(),
    }).snapshot();
    expect(settings.watermark.value).toBe(false);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining(`${path}: "homeserverUrl"`),
    ]);
  });

  it('accepts a byte-order mark at the start of a file', () => {
    write('system', `\uFEFF${JSON.stringify({ watermark: true })}`);
    expect(
      loadDeploymentConfig({ locations, argv: [], logger: createMemoryLogger() }).snapshot()
        .settings.watermark.value,
    ).toBe(true);
  });

  it('reports a bad command-line value', () => {
    const { problems } = loadDeploymentConfig({
      locations,
      argv: ['--hongyan-homeserver=http://evil.example'],
      logger: createMemoryLogger(),
    }).snapshot();
    expect(problems[0]).toMatchObject({ source: 'command-line', origin: 'command line' });
    expect(problems[0]?.message).toContain('must use https');
  });
});

describe('the renderer reads the config', () => {
  it('over IPC, with the problems for the user to see, and cannot write it', async () => {
    write('system', 'not json');
    const electron = createFakeElectron({ baseDir: dir });
    const registry = createIpcRegistry({ electron, logger: createMemoryLogger() });
    setupDeploymentConfigIpc({
      registry,
      config: loadDeploymentConfig({ locations, argv: [], logger: createMemoryLogger() }),
    });
    const snapshot = (await electron.invoke('config:get', undefined)) as {
      problems: { message: string }[];
    };
    expect(snapshot.problems[0]?.message).toContain('not valid JSON');
    expect(electron.ipcHandlers.has('config:setHomeserver')).toBe(false);
  });
});
