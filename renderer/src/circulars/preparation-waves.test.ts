import { describe, expect, it } from 'vitest';
import { splitIntoWaves } from './preparation-waves';

describe('splitIntoWaves', () => {
  it('starts small and doubles, keeping the order', () => {
    const items = Array.from({ length: 144 }, (_, i) => i);
    const waves = splitIntoWaves(items);
    expect(waves.map((w) => w.length)).toEqual([8, 16, 32, 64, 24]);
    expect(waves.flat()).toEqual(items);
  });

  it('gives one short wave for a few rooms and none for none', () => {
    expect(splitIntoWaves(['a', 'b'])).toEqual([['a', 'b']]);
    expect(splitIntoWaves([])).toEqual([]);
  });
});
