import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { HongyanBridge } from '../shared/ipc/contract';

// The preload talks to Electron's renderer modules; here they are replaced by recorders.
const exposed = new Map<string, unknown>();
const invoked: { channel: string; args: unknown[] }[] = [];
const listeners = new Map<string, ((event: unknown, payload: unknown) => void)[]>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      invoked.push({ channel, args });
      return { ok: true };
    },
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
    },
    removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((l) => l !== listener),
      );
    },
  },
}));

describe('preload bridge', () => {
  let bridge: HongyanBridge;
  beforeEach(async () => {
    await import('./preload');
    bridge = exposed.get('hongyan') as HongyanBridge;
  });

  it('exposes only window.hongyan with invoke and on', () => {
    expect([...exposed.keys()]).toEqual(['hongyan']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards contract channels and refuses others', async () => {
    await bridge.invoke('secrets:get', { key: 'session' });
    expect(invoked).toEqual([{ channel: 'secrets:get', args: [{ key: 'session' }] }]);
    await expect((bridge.invoke as (c: string) => Promise<unknown>)('shell:exec')).rejects.toThrow(
      /unknown channel/,
    );
    expect(invoked).toHaveLength(1);
  });

  it('delivers only the payload of events, and unsubscribes', () => {
    const seen: unknown[] = [];
    const off = bridge.on('notification:clicked', (payload) => seen.push(payload));
    const senderEvent = { sender: 'ipcRenderer itself' };
    for (const l of listeners.get('notification:clicked') ?? []) l(senderEvent, { roomId: '!r:h' });
    expect(seen).toEqual([{ roomId: '!r:h' }]);
    off();
    expect(listeners.get('notification:clicked')).toEqual([]);
    expect(() =>
      (bridge.on as (c: string, l: () => void) => void)('ipc:raw', () => undefined),
    ).toThrow(/unknown event/);
  });
});
