import { describe, expect, it } from 'vitest';
import {
  ancestorCodes,
  buildOrgTree,
  countByUnit,
  pathToUnit,
  subtreeCodes,
  sumOverSubtrees,
  unitRecordsOfSpec,
  unitsAtLevel,
} from './org-tree';
import { locatorWithoutLines } from './spec-source';
import { validateOrgSpec } from './spec-validate';
import { generateSyntheticProvince, scaledProvinceParams } from './synthetic-spec';
import type { OrgUnit } from './types';

const UNITS: OrgUnit[] = [
  { code: '990101', name: '青山县', level: 'county', parentCode: '990100' },
  { code: '990000', name: '示范省', level: 'province' },
  { code: '990000-jyt', name: '教育厅', level: 'department', parentCode: '990000' },
  { code: '990100', name: '东湖市', level: 'city', parentCode: '990000' },
  { code: '990102', name: '白水县', level: 'county', parentCode: '990100' },
  { code: '990200', name: '西山市', level: 'city', parentCode: '990000' },
];

describe('buildOrgTree', () => {
  it('orders children by level then code, departments last', () => {
    const tree = buildOrgTree(UNITS);
    expect(tree.roots).toEqual(['990000']);
    expect(tree.preorder).toEqual(['990000', '990100', '990101', '990102', '990200', '990000-jyt']);
    expect(tree.byCode.get('990101')?.depth).toBe(2);
    expect(tree.detached).toEqual([]);
  });

  it('answers ancestors, subtrees, levels and paths', () => {
    const tree = buildOrgTree(UNITS);
    expect(ancestorCodes(tree, '990102')).toEqual(['990100', '990000']);
    expect(subtreeCodes(tree, '990100')).toEqual(['990100', '990101', '990102']);
    expect(unitsAtLevel(tree, { level: 'county', under: '990100' })).toEqual(['990101', '990102']);
    expect(unitsAtLevel(tree, { level: 'city' })).toEqual(['990100', '990200']);
    expect(pathToUnit(tree, '990101').map((u) => u.name)).toEqual(['示范省', '东湖市', '青山县']);
  });

  it('sums values over subtrees', () => {
    const tree = buildOrgTree(UNITS);
    const people = [{ unit: '990101' }, { unit: '990101' }, { unit: '990102' }, { unit: '990000' }];
    const totals = sumOverSubtrees(tree, { valueOf: countByUnit(people, (p) => p.unit) });
    expect(Object.fromEntries(totals)).toEqual({
      '990000': 4,
      '990100': 3,
      '990101': 2,
      '990102': 1,
      '990200': 0,
      '990000-jyt': 0,
    });
  });

  it('makes a unit whose parent is not visible a root, and drops cycles and duplicates with a reason', () => {
    const tree = buildOrgTree([
      { code: 'a', name: 'A', level: 'county', parentCode: 'hidden' },
      { code: 'x', name: 'X', level: 'department', parentCode: 'y' },
      { code: 'y', name: 'Y', level: 'department', parentCode: 'x' },
      { code: 'a', name: 'A2', level: 'county' },
    ]);
    expect(tree.roots).toEqual(['a']);
    expect(tree.byCode.get('a')?.unit.name).toBe('A');
    expect(tree.detached).toEqual([
      { code: 'a', reason: 'duplicate' },
      { code: 'a', reason: 'unknown-parent' },
      { code: 'x', reason: 'cycle' },
      { code: 'y', reason: 'cycle' },
    ]);
  });
});

describe('generateSyntheticProvince', () => {
  it('produces a valid spec of the benchmark size', () => {
    const spec = generateSyntheticProvince(scaledProvinceParams(1));
    expect(spec.units).toHaveLength(1 + 13 + 130 + 1300);
    expect(spec.users).toHaveLength(10_000);
    const r = validateOrgSpec({ data: spec, locate: locatorWithoutLines('synthetic'), errors: [] });
    expect(r.ok).toBe(true);
    const tree = buildOrgTree(unitRecordsOfSpec(spec.units));
    expect(tree.detached).toEqual([]);
  });
});

describe('unitRecordsOfSpec', () => {
  it("maps a spec's units to unit records: parent becomes parentCode, spec-only fields stay out", () => {
    expect(
      unitRecordsOfSpec([
        { code: '990000', name: '示范省', level: 'province', allowAncestors: true },
        {
          code: '990100',
          name: '东湖市',
          level: 'city',
          parent: '990000',
          rooms: { work: false },
        },
      ]),
    ).toEqual([
      { code: '990000', name: '示范省', level: 'province' },
      { code: '990100', name: '东湖市', level: 'city', parentCode: '990000' },
    ]);
  });
});
