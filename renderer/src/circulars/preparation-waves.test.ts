import { describe, expect, it } from 'vitest';
import type { MatrixClient } from 'matrix-js-sdk';
import { PreparationWaves, splitIntoWaves } from './preparation-waves';

describe('splitIntoWaves', () => {
  it('starts small and doubles up to the largest wave, keeping the order', () => {
    const items = Array.from({ length: 144 }, (_, i) => i);
    const waves = splitIntoWaves(items);
    expect(waves.map((w) => w.length)).toEqual([8, 16, 16, 16, 16, 16, 16, 16, 16, 8]);
    expect(waves.flat()).toEqual(items);
    expect(splitIntoWaves(items, 4, 64).map((w) => w.length)).toEqual([4, 8, 16, 32, 64, 20]);
    expect(waves.flat()).toEqual(items);
  });

  it('gives one short wave for a few rooms and none for none', () => {
    expect(splitIntoWaves(['a', 'b'])).toEqual([['a', 'b']]);
    expect(splitIntoWaves([])).toEqual([]);
  });
});

describe('PreparationWaves', () => {
  it('prepares two waves at a time and releases each wave as soon as it is ready', async () => {
    const rooms = Array.from({ length: 40 }, (_, i) => `!r${i}:hs`);
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const waves = new PreparationWaves({
      client: {} as MatrixClient,
      roomIds: rooms,
      waveLimitMs: 5_000,
      prepare: (_client, ids) => {
        started.push(ids.length);
        return new Promise<void>((resolve) => finish.push(resolve));
      },
    });
    expect(started).toEqual([8, 16]);
    const released = waves.nextWave();
    finish[1]?.(); // the second wave is ready before the first
    await released;
    expect(waves.isReady('!r8:hs')).toBe(true);
    expect(waves.isReady('!r0:hs')).toBe(false);
    expect(started).toEqual([8, 16, 16]);
    finish[0]?.();
    finish[2]?.();
    await waves.done;
    expect(rooms.every((r) => waves.isReady(r))).toBe(true);
    expect(waves.pending).toBe(false);
  });

  it('releases every room at once when a wave stalls', async () => {
    const rooms = Array.from({ length: 40 }, (_, i) => `!r${i}:hs`);
    const waves = new PreparationWaves({
      client: {} as MatrixClient,
      roomIds: rooms,
      waveLimitMs: 5,
      prepare: () => new Promise(() => undefined),
    });
    await waves.nextWave();
    expect(rooms.every((r) => waves.isReady(r))).toBe(true);
  });
});
