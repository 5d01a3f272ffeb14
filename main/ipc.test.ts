import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS, type InvokeChannel } from '../shared/ipc/contract';
import { checkSender, createIpcRegistry, sendEvent } from './ipc';
import { createMemoryLogger } from './logger';
import { createFakeElectron } from './testing/fake-electron';

function setup(): {
  electron: ReturnType<typeof createFakeElectron>;
  logger: ReturnType<typeof createMemoryLogger>;
  registry: ReturnType<typeof createIpcRegistry>;
} {
  const electron = createFakeElectron({ baseDir: '/tmp/none' });
  const logger = createMemoryLogger();
  const registry = createIpcRegistry({ electron, logger });
  return { electron, logger, registry };
}

describe('IPC sender checks', () => {
  const refused: [string, { url: string; parentUrl?: string } | null][] = [
    ['a destroyed frame', null],
    [
      'a sub-frame of the app',
      { url: 'app://hongyan/index.html', parentUrl: 'app://hongyan/index.html' },
    ],
    ['a foreign https page', { url: 'https://evil.example/' }],
    ['a loopback http page', { url: 'http://127.0.0.1:8008/' }],
    ['a file page', { url: 'file:///tmp/x.html' }],
    ['another app:// host', { url: 'app://evil/index.html' }],
    ['app:// with a port', { url: 'app://hongyan:1/index.html' }],
    ['about:blank', { url: 'about:blank' }],
    ['a data URL', { url: 'data:text/html,hi' }],
    ['devtools', { url: 'devtools://devtools/bundled/inspector.html' }],
  ];

  it.each(refused)('refuses %s and logs why, without the payload', async (_label, sender) => {
    const { electron, logger, registry } = setup();
    let called = false;
    registry.handle('secrets:set', () => {
      called = true;
      return { ok: true };
    });
    await expect(
      electron.invoke('secrets:set', { key: 'session', value: 'TOKEN-s3cret' }, sender),
    ).rejects.toThrow(/refused/);
    expect(called).toBe(false);
    expect(logger.text()).toContain('IPC "secrets:set" refused');
    expect(logger.text()).not.toContain('s3cret');
  });

  it('accepts the top-level frame of the app', async () => {
    const { electron, registry } = setup();
    registry.handle('secrets:get', ({ key }) => ({ value: `value of ${key}` }));
    await expect(electron.invoke('secrets:get', { key: 'session' })).resolves.toEqual({
      value: 'value of session',
    });
  });

  it('checkSender explains each refusal', () => {
    expect(checkSender({ senderFrame: null, senderId: 1 })).toEqual({
      ok: false,
      reason: 'sender frame is gone',
    });
    expect(
      checkSender({
        senderFrame: { url: 'https://x.example/a?t=secret', parent: null },
        senderId: 1,
      }),
    ).toEqual({
      ok: false,
      reason: 'sender origin https://x.example is not the app',
    });
  });
});

describe('IPC request validation', () => {
  const malformed: [InvokeChannel, unknown][] = [
    ['secrets:get', { key: 'other' }],
    ['secrets:get', { key: 'session', extra: 1 }],
    ['secrets:set', { key: 'session' }],
    ['secrets:set', { key: 'session', value: 42 }],
    ['notifications:show', { title: 't', body: 'b', roomId: 'not-a-room' }],
    ['notifications:show', { title: 'x'.repeat(300), body: 'b', roomId: '!a:b.c' }],
    ['badge:setUnreadCount', { count: -1 }],
    ['badge:setUnreadCount', { count: 1.5 }],
    ['badge:setUnreadCount', { count: '3' }],
    ['files:save', { data: 'not bytes', suggestedName: 'a.txt' }],
    ['files:save', { data: new Uint8Array(1) }],
    ['links:openExternal', { url: 42 }],
    ['config:get', { unexpected: true }],
    ['contentProtection:set', { enabled: 'yes' }],
    ['loginItem:set', null],
  ];

  it.each(malformed)('refuses a malformed %s request', async (channel, request) => {
    const { electron, logger, registry } = setup();
    registry.handle(channel, () => {
      throw new Error('handler must not run');
    });
    await expect(electron.invoke(channel, request)).rejects.toThrow(/malformed request/);
    expect(logger.text()).toContain('malformed request');
  });
});

describe('IPC registry', () => {
  it('refuses channels outside the contract and double registration', () => {
    const { registry } = setup();
    expect(() => registry.handle('shell:exec' as InvokeChannel, () => undefined as never)).toThrow(
      /not in the contract/,
    );
    registry.handle('badge:setUnreadCount', () => undefined);
    expect(() => registry.handle('badge:setUnreadCount', () => undefined)).toThrow(
      /already handled/,
    );
  });

  it('reports the channels still missing a handler', () => {
    const { registry } = setup();
    expect(registry.missingChannels()).toEqual(INVOKE_CHANNELS);
    registry.handle('deepLinks:takePending', () => []);
    expect(registry.missingChannels()).not.toContain('deepLinks:takePending');
  });

  it('turns a handler failure into a generic rejection and logs the error', async () => {
    const { electron, logger, registry } = setup();
    registry.handle('loginItem:get', () => {
      throw new Error('disk on fire');
    });
    await expect(electron.invoke('loginItem:get', undefined)).rejects.toThrow(
      'IPC "loginItem:get" failed',
    );
    expect(logger.text()).toContain('disk on fire');
  });

  it('sends only contract events', () => {
    const { electron } = setup();
    const contents = electron.newWebContents();
    sendEvent(contents, 'notification:clicked', { roomId: '!a:b.c' });
    expect(contents.sent).toEqual([
      { channel: 'notification:clicked', payload: { roomId: '!a:b.c' } },
    ]);
    expect(() =>
      sendEvent(contents, 'evil' as 'notification:clicked', { roomId: '!a:b.c' }),
    ).toThrow(/not in the contract/);
  });
});

describe('IPC contract surface', () => {
  it('has only channels a renderer calls: every other one is surface for nothing', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer', 'src');
    const sources = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
      .map((f) => readFileSync(join(root, f), 'utf8'))
      .join('\n');
    const unused = INVOKE_CHANNELS.filter((channel) => !sources.includes(`'${channel}'`));
    expect(unused).toEqual([]);
  });
});
