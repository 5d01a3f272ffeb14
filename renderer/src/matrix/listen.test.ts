import { describe, expect, it, vi } from 'vitest';
import { TypedEventEmitter } from 'matrix-js-sdk';
import { listen, unsubscribeAll } from './listen';

enum TestEvent {
  Ping = 'ping',
  Pong = 'pong',
}
type TestMap = { [TestEvent.Ping]: (n: number) => void; [TestEvent.Pong]: () => void };

describe('listen / unsubscribeAll', () => {
  it('delivers events until unsubscribed, then removes exactly its listeners', () => {
    const emitter = new TypedEventEmitter<TestEvent, TestMap>();
    const ping = vi.fn();
    const pong = vi.fn();
    const other = vi.fn();
    emitter.on(TestEvent.Ping, other);
    const stop = unsubscribeAll([
      listen(emitter, TestEvent.Ping, ping),
      listen(emitter, TestEvent.Pong, pong),
    ]);
    emitter.emit(TestEvent.Ping, 1);
    emitter.emit(TestEvent.Pong);
    stop();
    emitter.emit(TestEvent.Ping, 2);
    emitter.emit(TestEvent.Pong);
    expect(ping.mock.calls).toEqual([[1]]);
    expect(pong).toHaveBeenCalledTimes(1);
    expect(other.mock.calls).toEqual([[1], [2]]);
    expect(emitter.listenerCount(TestEvent.Ping)).toBe(1);
    expect(emitter.listenerCount(TestEvent.Pong)).toBe(0);
  });
});
