/**
 * Generates synthetic org specs (a fictional province) of any size, for benchmarks and tests.
 * Deterministic: the same parameters always give the same spec.
 */
import { ORG_SPEC_VERSION } from './spec-types';
import type { OrgSpec, SpecUnit, SpecUser } from './spec-types';
import type { UnitRole } from './types';

/** Shape of a synthetic province. */
export interface SyntheticProvinceParams {
  cities: number;
  countiesPerCity: number;
  /** Department units under each county. */
  departmentsPerCounty: number;
  /** Users spread round-robin over all units; the first user of each unit is its issuer. */
  users: number;
  /** Code of the province, six digits; default 990000 (no real province uses 99). */
  provinceCode?: string;
  /** Prefix of the generated usernames (`u00001`, …); default `u`. */
  usernamePrefix?: string;
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '胡',
  '朱',
  '高',
  '林',
  '何',
  '郭',
  '马',
  '罗',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
];
const DEPARTMENTS = [
  '办公室',
  '教育局',
  '财政局',
  '民政局',
  '卫健局',
  '农业农村局',
  '应急管理局',
  '交通运输局',
  '生态环境局',
  '司法局',
  '人社局',
  '住建局',
];

/** A deterministic Chinese name for the n-th person. */
export function syntheticName(n: number): string {
  return `${SURNAMES[n % SURNAMES.length] ?? '王'}${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length] ?? '伟'}`;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Builds the spec. */
export function generateSyntheticProvince(params: SyntheticProvinceParams): OrgSpec {
  const province = params.provinceCode ?? '990000';
  const prefix = province.slice(0, 2);
  const units: SpecUnit[] = [
    {
      code: province,
      name: '示范省',
      level: 'province',
      rooms: { departments: [{ slug: 'office', name: '办公厅' }] },
    },
  ];
  for (let c = 1; c <= params.cities; c += 1) {
    const city = `${prefix}${pad(c, 2)}00`;
    units.push({ code: city, name: `第${c}市`, level: 'city', parent: province });
    for (let k = 1; k <= params.countiesPerCity; k += 1) {
      const county = `${prefix}${pad(c, 2)}${pad(k, 2)}`;
      units.push({ code: county, name: `第${c}市第${k}县`, level: 'county', parent: city });
      for (let d = 1; d <= params.departmentsPerCounty; d += 1) {
        const dept = DEPARTMENTS[(d - 1) % DEPARTMENTS.length] ?? '办公室';
        units.push({
          code: `${county}-d${pad(d, 2)}`,
          name: `第${c}市第${k}县${dept}`,
          level: 'department',
          parent: county,
        });
      }
    }
  }
  const users: SpecUser[] = [];
  const seenUnit = new Set<string>();
  for (let i = 0; i < params.users; i += 1) {
    const unit = units[i % units.length] as SpecUnit;
    let roles: UnitRole[] = ['member'];
    let position = '科员';
    if (!seenUnit.has(unit.code)) {
      seenUnit.add(unit.code);
      roles = unit.level === 'province' ? ['unit_admin', 'issuer'] : ['issuer'];
      position = '办公室主任';
    }
    users.push({
      username: `${params.usernamePrefix ?? 'u'}${pad(i + 1, 5)}`,
      displayName: syntheticName(i),
      unit: unit.code,
      position,
      roles,
    });
  }
  return { version: ORG_SPEC_VERSION, units, users };
}

/**
 * Parameters for a province scaled from the full benchmark size (1 province, 13 cities, 130
 * counties, 1,300 departments, 10,000 users) by `scale` (0 < scale ≤ 1, or more for a larger one).
 */
export function scaledProvinceParams(scale: number): SyntheticProvinceParams {
  const cities = Math.max(1, Math.round(13 * scale));
  const countiesPerCity = scale >= 1 / 13 ? 10 : Math.max(1, Math.round(130 * scale));
  return {
    cities,
    countiesPerCity,
    departmentsPerCounty: 10,
    users: Math.max(10, Math.round(10_000 * scale)),
  };
}

/** Shape of a county added to an existing province by {@link addSyntheticCounty}. */
export interface SyntheticCountyParams {
  /** Department units under the new county (the county itself is one more unit). */
  departments: number;
  /** New users, spread round-robin over the new units; the first of each unit is its issuer. */
  users: number;
  /** Prefix of the new usernames; must differ from the province's own. */
  usernamePrefix: string;
}

/**
 * Returns the spec with one more county (and its departments and users) under the first city,
 * everything else unchanged: the incremental change an org makes when a county joins.
 */
export function addSyntheticCounty(spec: OrgSpec, params: SyntheticCountyParams): OrgSpec {
  const city = spec.units.find((u) => u.level === 'city');
  if (!city) throw new Error('the spec has no city to add a county to');
  const taken = new Set(spec.units.map((u) => u.code));
  let k = 1;
  while (taken.has(`${city.code.slice(0, 4)}${pad(k, 2)}`)) k += 1;
  const county = `${city.code.slice(0, 4)}${pad(k, 2)}`;
  const units: SpecUnit[] = [
    { code: county, name: `${city.name}新设第${k}县`, level: 'county', parent: city.code },
  ];
  for (let d = 1; d <= params.departments; d += 1) {
    const dept = DEPARTMENTS[(d - 1) % DEPARTMENTS.length] ?? '办公室';
    units.push({
      code: `${county}-d${pad(d, 2)}`,
      name: `${city.name}新设第${k}县${dept}${d > DEPARTMENTS.length ? d : ''}`,
      level: 'department',
      parent: county,
    });
  }
  const users: SpecUser[] = [];
  for (let i = 0; i < params.users; i += 1) {
    const unit = units[i % units.length] as SpecUnit;
    const first = i < units.length;
    users.push({
      username: `${params.usernamePrefix}${pad(i + 1, 5)}`,
      displayName: syntheticName(i + 7),
      unit: unit.code,
      position: first ? '办公室主任' : '科员',
      roles: first ? ['issuer'] : ['member'],
    });
  }
  return { ...spec, units: [...spec.units, ...units], users: [...spec.users, ...users] };
}
