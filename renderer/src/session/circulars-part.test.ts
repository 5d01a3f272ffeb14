import { describe, expect, it } from 'vitest';
import { createAppStore } from '../store/app-store';
import { startCirculars, type CircularsLifecycle, type KeyGrantsLifecycle } from './circulars-part';

/** Records what the session asked of the circulars controller and key grants. */
function fakes() {
  const calls: string[] = [];
  let awaiting: Parameters<KeyGrantsLifecycle['start']>[0] | undefined;
  const controller: CircularsLifecycle = {
    start: () => calls.push('controller.start'),
    stop: () => calls.push('controller.stop'),
    stopFanOuts: () => calls.push('controller.stopFanOuts'),
  };
  const keyGrants: KeyGrantsLifecycle = {
    start: (options) => {
      awaiting = options;
      calls.push('keyGrants.start');
    },
    stop: () => calls.push('keyGrants.stop'),
  };
  return { calls, controller, keyGrants, options: () => awaiting };
}

describe('startCirculars', () => {
  it('starts the controller and key grants with the session', () => {
    const f = fakes();
    startCirculars({ ...f, store: createAppStore() });
    expect(f.calls).toEqual(['controller.start', 'keyGrants.start']);
  });

  it('stops running fan-outs, the controller and key grants when the session stops', () => {
    const f = fakes();
    const stop = startCirculars({ ...f, store: createAppStore() });
    f.calls.length = 0;
    stop();
    expect(f.calls).toEqual(['keyGrants.stop', 'controller.stop', 'controller.stopFanOuts']);
  });

  it('writes the circulars waiting for keys to the store as plain data', () => {
    const f = fakes();
    const store = createAppStore();
    startCirculars({ ...f, store });
    f.options()?.onAwaitingChanged?.([
      {
        kind: 'circular',
        roomId: '!r:hs',
        eventId: '$e',
        sessionId: 's',
        senderId: '@a:hs',
        ts: 5,
        unitCode: 'U1',
      },
    ]);
    expect(store.getState().awaitingKeys).toEqual([
      {
        kind: 'circular',
        roomId: '!r:hs',
        eventId: '$e',
        senderId: '@a:hs',
        ts: 5,
        unitCode: 'U1',
      },
    ]);
  });
});
