import { describe, expect, it } from 'vitest';
import { countFanOut, resolveTargets } from './targeting';
import { SAMPLE_UNITS } from './test-fixtures';
import type { CircularTarget } from './types';
import { buildUnitIndex } from './unit-index';

const index = buildUnitIndex(SAMPLE_UNITS);

describe('resolveTargets', () => {
  it.each<[string, CircularTarget[], string[]]>([
    ['one unit', [{ unitCode: '330102', scope: 'unit' }], ['330102']],
    [
      'a whole subtree',
      [{ unitCode: '330100', scope: 'subtree' }],
      ['330100', '330100-edu', '330101', '330102', '330102001'],
    ],
    [
      'all counties under a city',
      [{ unitCode: '330100', scope: 'level', level: 'county' }],
      ['330101', '330102'],
    ],
    [
      'all counties in the province',
      [{ unitCode: '330000', scope: 'level', level: 'county' }],
      ['330101', '330102', '330201'],
    ],
    [
      'a level that includes the anchor itself',
      [{ unitCode: '330100', scope: 'level', level: 'city' }],
      ['330100'],
    ],
    [
      'overlapping targets, deduplicated in tree order',
      [
        { unitCode: '330201', scope: 'unit' },
        { unitCode: '330000', scope: 'level', level: 'city' },
        { unitCode: '330100', scope: 'subtree' },
        { unitCode: '330102', scope: 'unit' },
      ],
      ['330100', '330100-edu', '330101', '330102', '330102001', '330200', '330201'],
    ],
  ])('expands %s', (_name, targets, expected) => {
    expect(resolveTargets(index, targets)).toEqual({ ok: true, unitCodes: expected });
  });

  it('gives the same list whatever order the targets were picked in', () => {
    const targets: CircularTarget[] = [
      { unitCode: '330200', scope: 'subtree' },
      { unitCode: '330100', scope: 'level', level: 'county' },
      { unitCode: '330000', scope: 'unit' },
    ];
    expect(resolveTargets(index, [...targets].reverse())).toEqual(resolveTargets(index, targets));
  });

  it('reports every bad target by path and resolves nothing', () => {
    const r = resolveTargets(index, [
      { unitCode: '330100', scope: 'unit' },
      { unitCode: '110000', scope: 'subtree' },
      { unitCode: '330200', scope: 'level' },
      { unitCode: '330201', scope: 'level', level: 'city' },
    ]);
    expect(r).toEqual({
      ok: false,
      errors: [
        { path: '/targets/1/unitCode', message: 'unknown unit "110000"' },
        { path: '/targets/2/level', message: 'is required when scope is "level"' },
        { path: '/targets/3/level', message: 'no unit of level "city" under 海曙区 (330201)' },
      ],
    });
  });

  it('requires at least one target', () => {
    expect(resolveTargets(index, [])).toEqual({
      ok: false,
      errors: [{ path: '/targets', message: 'select at least one target unit' }],
    });
  });
});

describe('countFanOut', () => {
  it('counts units, rooms, recipient copies and distinct users before sending', () => {
    const counts = countFanOut({
      rooms: [
        { unitCode: '330100', roomId: '!a:s' },
        { unitCode: '330101', roomId: '!b:s' },
        { unitCode: '330102', roomId: '!c:s' },
      ],
      membersOf: new Map([
        ['!a:s', ['@issuer:s', '@u1:s', '@u2:s', '@u2:s']],
        ['!b:s', ['@issuer:s', '@u2:s', '@u3:s', '@bot:s']],
      ]),
      senderId: '@issuer:s',
      excludedUserIds: ['@bot:s'],
    });
    expect(counts).toEqual({
      units: 3,
      rooms: 3,
      recipients: 4,
      distinctUsers: 3,
      perRoom: new Map([
        ['!a:s', 2],
        ['!b:s', 2],
        ['!c:s', 0],
      ]),
      missingMembers: ['!c:s'],
    });
  });
});
