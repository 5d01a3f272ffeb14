import { describe, expect, it } from 'vitest';
import { runBounded } from './concurrency';

describe('runBounded', () => {
  it('never runs more than the limit at once and stops after a failure', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const run = runBounded({
      items: [1, 2, 3, 4, 5, 6, 7, 8],
      concurrency: 3,
      fn: async (n) => {
        started.push(n);
        running += 1;
        peak = Math.max(peak, running);
        await Promise.resolve();
        running -= 1;
        if (n === 4) throw new Error('boom');
      },
    });
    await expect(run).rejects.toThrow('boom');
    expect(peak).toBeLessThanOrEqual(3);
    expect(started).not.toContain(8);
  });

  it('runs every item once, with its index, and settles the ones in flight before a failure surfaces', async () => {
    const seen: string[] = [];
    await runBounded({
      items: ['a', 'b', 'c', 'd', 'e'],
      concurrency: 2,
      fn: async (item, i) => {
        await Promise.resolve();
        seen.push(`${i}:${item}`);
      },
    });
    expect(seen.sort()).toEqual(['0:a', '1:b', '2:c', '3:d', '4:e']);

    let slowDone = false;
    const failing = runBounded({
      items: [0, 1],
      concurrency: 2,
      fn: async (n) => {
        if (n === 0) throw new Error('first');
        await new Promise<void>((resolve) => setTimeout(resolve, 5));
        slowDone = true;
      },
    });
    await expect(failing).rejects.toThrow('first');
    expect(slowDone).toBe(true);
  });

  it('starts nothing more once the signal is aborted, and rethrows its reason', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = runBounded({
      items: [1, 2, 3, 4],
      concurrency: 1,
      signal: controller.signal,
      fn: async (n) => {
        started.push(n);
        if (n === 2) controller.abort(new Error('stopped'));
      },
    });
    await expect(run).rejects.toThrow('stopped');
    expect(started).toEqual([1, 2]);
  });

  it('does nothing for no items', async () => {
    await expect(
      runBounded({ items: [], concurrency: 4, fn: () => Promise.reject(new Error('ran')) }),
    ).resolves.toBeUndefined();
  });
});
