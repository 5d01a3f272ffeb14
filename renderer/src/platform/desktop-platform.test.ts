import { describe, expect, it, vi } from 'vitest';
import type {
  EventChannel,
  EventPayload,
  HongyanBridge,
  InvokeChannel,
} from '../../../shared/ipc/contract';
import { DesktopPlatform } from './desktop-platform';

/** A bridge that answers from a table and records calls, standing in for the preload. */
function fakeBridge(answers: Partial<Record<InvokeChannel, unknown>>) {
  const calls: Array<[string, unknown]> = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const bridge = {
    invoke: vi.fn(async (channel: InvokeChannel, request?: unknown) => {
      calls.push([channel, request]);
      return answers[channel];
    }),
    on: <E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void) => {
      listeners.set(channel, listener as (payload: unknown) => void);
      return () => listeners.delete(channel);
    },
  } as unknown as HongyanBridge;
  return {
    bridge,
    calls,
    emit: (channel: EventChannel, payload: unknown) => listeners.get(channel)?.(payload),
  };
}

describe('DesktopPlatform', () => {
  it('stores secrets through the main process and reports a refusal', async () => {
    const { bridge, calls } = fakeBridge({
      'secrets:set': { ok: false, reason: 'consent-required' },
      'secrets:get': { value: 'x' },
    });
    const platform = new DesktopPlatform(bridge);
    await expect(platform.secrets.set('session', '{}')).rejects.toThrow(/consent-required/);
    expect(await platform.secrets.get('session')).toBe('x');
    expect(calls[0]).toEqual(['secrets:set', { key: 'session', value: '{}' }]);
  });

  it('asks the user before weak storage is used', async () => {
    const { bridge } = fakeBridge({
      'secrets:backend': {
        backend: 'basic_text',
        protection: 'weak',
        needsConsent: true,
        consented: false,
      },
    });
    expect(await new DesktopPlatform(bridge).secretsProtection()).toEqual({
      level: 'weak',
      needsConsent: true,
    });
  });

  it('refuses dangerous links before they reach the main process', async () => {
    const { bridge, calls } = fakeBridge({ 'links:openExternal': { opened: true } });
    const platform = new DesktopPlatform(bridge);
    expect(await platform.openExternal('javascript:alert(1)')).toBe(false);
    expect(calls).toEqual([]);
    expect(await platform.openExternal('https://www.gov.cn/')).toBe(true);
    expect(calls).toEqual([['links:openExternal', { url: 'https://www.gov.cn/' }]]);
  });

  it('opens the room of a clicked notification', async () => {
    const { bridge, emit } = fakeBridge({});
    const platform = new DesktopPlatform(bridge);
    const opened: string[] = [];
    const off = platform.onNotificationClick((roomId) => opened.push(roomId));
    emit('notification:clicked', { roomId: '!r:hongyan.test' });
    off();
    emit('notification:clicked', { roomId: '!other:hongyan.test' });
    expect(opened).toEqual(['!r:hongyan.test']);
  });

  it('signs in by SSO in the system browser and takes the token back from the deep link', async () => {
    const { bridge, calls, emit } = fakeBridge({
      'links:openExternal': { opened: true },
      'deepLinks:takePending': [{ kind: 'sso-callback', loginToken: 'syl_early_0' }],
    });
    const platform = new DesktopPlatform(bridge);
    expect(platform.ssoRedirectUrl()).toBe('hongyan://sso-callback');
    const start =
      'https://matrix.example.gov.cn/_matrix/client/v3/login/sso/redirect/oidc-province';
    await platform.startSso(start);
    expect(calls).toContainEqual(['links:openExternal', { url: start }]);
    const tokens: string[] = [];
    platform.onSsoLoginToken((t) => tokens.push(t));
    await vi.waitFor(() => expect(tokens).toEqual(['syl_early_0']));
    emit('deep-link:opened', { kind: 'room', roomId: '!r:example.gov.cn' });
    emit('deep-link:opened', { kind: 'sso-callback', loginToken: 'syl_late_1' });
    expect(tokens).toEqual(['syl_early_0', 'syl_late_1']);
  });
});
