/**
 * The small org the e2e files and the late-recipient benchmark provision: a province office over
 * two cities, each file naming its own accounts. Pure data (no vitest, no Node), so benchmarks
 * take it too.
 */
import type { OrgSpec, SpecUnit, SpecUser } from '../shared/org/spec-types';

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
