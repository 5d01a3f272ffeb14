import { describe, expect, it } from 'vitest';
import type { OrgUnit } from '../org/types';
import { SAMPLE_UNITS } from './test-fixtures';
import { ancestorCodes, buildUnitIndex, isInSubtree, subtreeCodes } from './unit-index';

describe('buildUnitIndex', () => {
  const index = buildUnitIndex(SAMPLE_UNITS);

  it('orders units parents-first, siblings by code, whatever the input order', () => {
    const expected = [
      '330000',
      '330100',
      '330100-edu',
      '330101',
      '330102',
      '330102001',
      '330200',
      '330201',
    ];
    expect(index.preorder).toEqual(expected);
    expect(buildUnitIndex([...SAMPLE_UNITS].reverse()).preorder).toEqual(expected);
    expect(index.problems).toEqual([]);
  });

  it('answers subtree and ancestor questions', () => {
    expect(subtreeCodes(index, '330100')).toEqual([
      '330100',
      '330100-edu',
      '330101',
      '330102',
      '330102001',
    ]);
    expect(subtreeCodes(index, 'nope')).toEqual([]);
    expect(isInSubtree(index, '330100', '330102001')).toBe(true);
    expect(isInSubtree(index, '330100', '330100')).toBe(true);
    expect(isInSubtree(index, '330100', '330201')).toBe(false);
    expect(isInSubtree(index, '330100', 'nope')).toBe(false);
    expect(ancestorCodes(index, '330102001')).toEqual(['330102', '330100', '330000']);
    expect(ancestorCodes(index, '330000')).toEqual([]);
  });

  it('reports duplicates, unknown parents and cycles instead of failing or looping', () => {
    const units: OrgUnit[] = [
      ...SAMPLE_UNITS,
      { code: '330100', name: '重复', level: 'city', parentCode: '330000' },
      { code: '999000', name: '孤儿', level: 'county', parentCode: '888000' },
      { code: 'a', name: 'A', level: 'county', parentCode: 'b' },
      { code: 'b', name: 'B', level: 'county', parentCode: 'a' },
      { code: 'c', name: 'C', level: 'township', parentCode: 'a' },
    ];
    const broken = buildUnitIndex(units);
    expect(broken.problems).toEqual([
      { unitCode: '330100', message: 'duplicate unit code; the first one is used' },
      { unitCode: '999000', message: 'parent unit "888000" is unknown; treated as a root' },
      { unitCode: 'a', message: 'unit is in or under a cycle of parent codes; left out' },
      { unitCode: 'b', message: 'unit is in or under a cycle of parent codes; left out' },
      { unitCode: 'c', message: 'unit is in or under a cycle of parent codes; left out' },
    ]);
    expect(broken.byCode.get('330100')?.name).toBe('杭州市');
    expect(broken.preorder).toContain('999000');
    expect(broken.byCode.has('a')).toBe(false);
    expect(broken.preorder).toHaveLength(9);
  });

  it('handles a deep chain without recursion limits', () => {
    const chain: OrgUnit[] = Array.from({ length: 20_000 }, (_, i) => ({
      code: `u${i}`,
      name: `u${i}`,
      level: 'department',
      ...(i > 0 ? { parentCode: `u${i - 1}` } : {}),
    }));
    const deep = buildUnitIndex(chain);
    expect(deep.preorder).toHaveLength(20_000);
    expect(isInSubtree(deep, 'u0', 'u19999')).toBe(true);
  });
});
