/**
 * The small org the e2e files and the late-recipient benchmark provision: a province office over
 * two cities, each file naming its own accounts. Pure data (no vitest, no Node), so benchmarks
 * take it too.
 */
import type { OrgSpec, SpecUnit, SpecUnitRooms, SpecUser } from '../shared/org/spec-types';

/** 示范省人民政府办公厅 (`p`) over 东湖市 (`c1`) and 西山市 (`c2`). */
export const PROVINCE_AND_CITIES: readonly SpecUnit[] = [
  { code: 'p', name: '示范省人民政府办公厅', level: 'province' },
  { code: 'c1', name: '东湖市人民政府', level: 'city', parent: 'p' },
  { code: 'c2', name: '西山市人民政府', level: 'city', parent: 'p' },
];

/** A spec of the province and its cities (the first `cities`, default both) with these accounts. */
export function provinceOrgSpec(users: SpecUser[], cities = 2): OrgSpec {
  return { version: 1, units: PROVINCE_AND_CITIES.slice(0, 1 + cities), users };
}

/** The province's issuer 王芳, with the given initial password. */
export function provinceIssuer(password: string, username = 'wangfang'): SpecUser {
  return { username, displayName: '王芳', unit: 'p', roles: ['issuer'], password };
}

/** The unit code of the village 桃花村, where residents are invited. */
export const VILLAGE_CODE = '990121100201';

/** 青山县 over 青山镇 over the village 桃花村, which has the residents' rooms (and `rooms` besides). */
export function villageUnits(rooms: SpecUnitRooms = {}): SpecUnit[] {
  return [
    { code: '990121', name: '青山县', level: 'county' },
    { code: '990121100', name: '青山镇', level: 'township', parent: '990121' },
    {
      code: VILLAGE_CODE,
      name: '桃花村',
      level: 'village',
      parent: '990121100',
      rooms: { ...rooms, residents: true },
    },
  ];
}

/** 示范省 (`p`) over 东湖市 (`c`) over two counties, 青山县 (`ka`) and 绿水县 (`kb`): the unit admins' org. */
export function countiesUnderCity(): SpecUnit[] {
  return [
    { code: 'p', name: '示范省', level: 'province' },
    { code: 'c', name: '东湖市', level: 'city', parent: 'p' },
    { code: 'ka', name: '青山县', level: 'county', parent: 'c' },
    { code: 'kb', name: '绿水县', level: 'county', parent: 'c' },
  ];
}
