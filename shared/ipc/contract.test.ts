import { describe, expect, it } from 'vitest';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  INVOKE_REQUEST_VALIDATORS,
  isEventChannel,
  isInvokeChannel,
  type HongyanBridge,
} from './contract';
import { isEventId, isRoomId } from './matrix-ids';

describe('IPC contract', () => {
  it('lists every channel once and knows its own names', () => {
    expect(new Set(INVOKE_CHANNELS).size).toBe(INVOKE_CHANNELS.length);
    expect(INVOKE_CHANNELS).toContain('secrets:consentPlaintext');
    expect(isInvokeChannel('secrets:get')).toBe(true);
    expect(isInvokeChannel('toString')).toBe(false);
    expect(isInvokeChannel('__proto__')).toBe(false);
    expect(isEventChannel('deep-link:opened')).toBe(true);
    expect(isEventChannel('secrets:get')).toBe(false);
    expect(EVENT_CHANNELS).toEqual(['notification:clicked', 'deep-link:opened']);
  });

  it('validates requests strictly', () => {
    const v = INVOKE_REQUEST_VALIDATORS;
    expect(v['config:get'](undefined)).toBe(true);
    expect(v['config:get']({})).toBe(false);
    expect(v['secrets:set']({ key: 'crypto-store-key', value: 'k' })).toBe(true);
    expect(v['secrets:set']({ key: 'crypto-store-key', value: 'k', more: 1 })).toBe(false);
    expect(v['files:save']({ data: new Uint8Array([1, 2]), suggestedName: 'a.pdf' })).toBe(true);
    expect(v['files:save']({ data: [1, 2], suggestedName: 'a.pdf' })).toBe(false);
    expect(v['notifications:show']({ title: '通知', body: '请签收', roomId: '!r:gov.cn' })).toBe(
      true,
    );
    expect(v['badge:setUnreadCount']({ count: 0 })).toBe(true);
    expect(v['badge:setUnreadCount']({ count: Number.NaN })).toBe(false);
    expect(v['loginItem:set']({ openAtLogin: 1 })).toBe(false);
  });

  it('types the bridge so a request of the wrong shape does not compile', () => {
    const bridge = {} as HongyanBridge;
    // Only a type-level check; the functions are never called.
    const typed = (): void => {
      void bridge.invoke('config:get');
      void bridge.invoke('secrets:get', { key: 'session' });
      // @ts-expect-error unknown secret key
      void bridge.invoke('secrets:get', { key: 'password' });
      // @ts-expect-error missing request
      void bridge.invoke('secrets:set');
      bridge.on('notification:clicked', (payload) => payload.roomId.toUpperCase());
    };
    expect(typeof typed).toBe('function');
  });
});

describe('Matrix ID checks', () => {
  it.each(['!abc:example.org', '!abc:[::1]:8448', '!Ab-_.=+/x', '!abc:localhost:8008'])(
    'accepts room ID %s',
    (id) => {
      expect(isRoomId(id)).toBe(true);
    },
  );
  it.each([
    'abc:example.org',
    '!',
    '!a b:c',
    '!a:b/c',
    '!<x>:y',
    `!${'a'.repeat(260)}`,
    42,
    '$abc',
  ])('refuses room ID %s', (id) => {
    expect(isRoomId(id)).toBe(false);
  });
  it('checks event IDs', () => {
    expect(isEventId('$abc-DEF_123')).toBe(true);
    expect(isEventId('$abc:example.org')).toBe(true);
    expect(isEventId('!abc')).toBe(false);
  });
});
