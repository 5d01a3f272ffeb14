import { describe, expect, it } from 'vitest';
import { parseSpecYaml } from './spec-source';
import { formatSpecError } from './spec-types';
import type { SpecError } from './spec-types';
import { validateOrgSpec } from './spec-validate';
import { mergeCsvUsers, usersFromCsv } from './users-csv';

const GOOD = `version: 1
defaults:
  allowAncestors: false
units:
  - code: "990000"
    name: 示范省
    level: province
    rooms:
      departments:
        - { slug: office, name: 办公厅 }
  - code: 990100
    name: 东湖市
    level: city
    parent: 990000
  - code: 990101
    name: 青山县
    level: county
    parent: 990100
    allowAncestors: true
  - code: 990101-jyj
    name: 青山县教育局
    level: department
    parent: 990101
    rooms: { notice: false }
users:
  - username: admin.sf
    displayName: 王伟
    unit: 990000
    position: 办公厅主任
    roles: [unit_admin, issuer]
  - username: lina
    displayName: 李娜
    unit: 990101
`;

function validate(text: string): ReturnType<typeof validateOrgSpec> {
  return validateOrgSpec(parseSpecYaml(text, 'org.yaml'));
}

function errorsOf(text: string): SpecError[] {
  const r = validate(text);
  if (r.ok) throw new Error('expected the spec to be rejected');
  return r.errors;
}

describe('validateOrgSpec', () => {
  it('accepts a good spec and keeps codes written as digits as text', () => {
    const r = validate(GOOD);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.spec.units.map((u) => u.code)).toEqual(['990000', '990100', '990101', '990101-jyj']);
    expect(r.spec.units[1]?.parent).toBe('990000');
    expect(r.spec.users[1]).toEqual({ username: 'lina', displayName: '李娜', unit: '990101' });
  });

  it('keeps a leading zero that YAML would drop from a number', () => {
    const r = validate('version: 1\nunits:\n  - { code: 010000, name: 甲, level: province }\n');
    expect(r.ok && r.spec.units[0]?.code).toBe('010000');
  });

  it('reports a YAML syntax error with its line', () => {
    const [e] = errorsOf('version: 1\nunits:\n  - code: "1\n');
    expect(e).toMatchObject({ kind: 'syntax', file: 'org.yaml' });
    expect(e?.line).toBeGreaterThanOrEqual(3);
  });

  it('reports schema errors at the offending field', () => {
    const errors = errorsOf(
      GOOD.replace('level: city', 'level: metropolis').replace(
        '    roles: [unit_admin, issuer]',
        '    roles: [boss]',
      ),
    );
    expect(errors.map((e) => [e.kind, e.field, e.line])).toEqual([
      ['schema', 'units[1].level', 13],
      ['schema', 'users[0].roles[0]', 30],
    ]);
    expect(errors[0]?.message).toContain('province, city, county');
  });

  it('names a missing field and an unknown field', () => {
    const errors = errorsOf(
      'version: 1\nunits:\n  - code: "1"\n    level: province\n    colour: red\n',
    );
    expect(errors.map((e) => [e.field, e.line, e.message])).toEqual([
      ['units[0].name', 3, 'missing required field name'],
      ['units[0].colour', 5, 'unknown field colour'],
    ]);
  });

  it('rejects a user in no unit', () => {
    const errors = errorsOf(`${GOOD}  - username: nobody\n    displayName: 无名\n`);
    expect(errors[0]).toMatchObject({
      kind: 'schema',
      field: 'users[2].unit',
      message: 'missing required field unit',
      line: 34,
    });
  });

  it('finds duplicate codes and usernames, pointing at the second occurrence', () => {
    const text =
      GOOD.replace('code: 990101-jyj', 'code: 990101') +
      '  - username: lina\n    displayName: 李娜二\n    unit: 990000\n';
    const errors = errorsOf(text);
    const dupCode = errors.find((e) => e.kind === 'duplicate-code');
    expect(dupCode).toMatchObject({ field: 'units[3].code', line: 20 });
    expect(dupCode?.message).toContain('first at line 15');
    expect(errors.find((e) => e.kind === 'duplicate-username')).toMatchObject({
      field: 'users[2].username',
      line: 34,
    });
  });

  it('finds an unknown parent and a user of an unknown unit', () => {
    const errors = errorsOf(
      GOOD.replace('parent: 990100', 'parent: 990199').replace('unit: 990101\n', 'unit: 990102\n'),
    );
    expect(errors.map((e) => [e.kind, e.field, e.line])).toEqual([
      ['unknown-parent', 'units[2].parent', 18],
      ['unknown-unit', 'users[1].unit', 33],
    ]);
  });

  it('finds a cycle and reports it once', () => {
    const text = `version: 1
units:
  - { code: a, name: 甲, level: department, parent: c }
  - { code: b, name: 乙, level: department, parent: a }
  - { code: c, name: 丙, level: department, parent: b }
`;
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'cycle', field: 'units[0].parent', line: 3 });
    expect(errors[0]?.message).toContain('a → c → b → a');
  });

  it('rejects a city under a county and a county under a department', () => {
    const text = `version: 1
units:
  - { code: p, name: 省, level: province }
  - { code: k, name: 县, level: county, parent: p }
  - { code: c, name: 市, level: city, parent: k }
  - { code: d, name: 局, level: department, parent: p }
  - { code: k2, name: 县二, level: county, parent: d }
  - { code: d2, name: 科, level: department, parent: d }
`;
    const errors = errorsOf(text);
    expect(errors.map((e) => [e.kind, e.field, e.line])).toEqual([
      ['level-order', 'units[2].level', 5],
      ['level-order', 'units[4].level', 7],
    ]);
    expect(errors[0]?.message).toBe('a city cannot sit under a county ("k")');
  });

  it('finds duplicate department rooms within a unit', () => {
    const errors = errorsOf(
      GOOD.replace(
        '- { slug: office, name: 办公厅 }',
        '- { slug: office, name: 办公厅 }\n        - { slug: office, name: 秘书处 }',
      ),
    );
    expect(errors[0]).toMatchObject({
      kind: 'duplicate-department',
      field: 'units[0].rooms.departments[1].slug',
      line: 11,
    });
  });

  it('formats errors as file:line:column field: message', () => {
    const [e] = errorsOf(GOOD.replace('parent: 990100', 'parent: 990199'));
    expect(formatSpecError(e as SpecError)).toBe(
      'org.yaml:18:13 units[2].parent: unknown parent unit "990199"',
    );
  });

  it('locates errors in CSV users at the CSV file and line', () => {
    const csv = usersFromCsv({
      file: 'users.csv',
      headers: ['username', '姓名', 'unit', 'roles'],
      records: [
        {
          line: 2,
          values: { username: 'zhaoyun', 姓名: '赵云', unit: '990100', roles: 'issuer;member' },
        },
        { line: 3, values: { username: 'lina', 姓名: '李娜', unit: '990999', roles: '' } },
      ],
    });
    const r = validateOrgSpec(mergeCsvUsers(parseSpecYaml(GOOD, 'org.yaml'), csv));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.kind, e.file, e.line, e.field])).toEqual([
      ['duplicate-username', 'users.csv', 3, 'users[3].username'],
      ['unknown-unit', 'users.csv', 3, 'users[3].unit'],
    ]);
    expect(r.errors[0]?.message).toContain('first at org.yaml:31');
  });

  it('reports unknown and missing CSV columns on the header line', () => {
    const csv = usersFromCsv({ file: 'u.csv', headers: ['username', 'email'], records: [] });
    expect(csv.errors.map((e) => [e.line, e.field])).toEqual([
      [1, 'email'],
      [1, 'displayName'],
      [1, 'unit'],
    ]);
  });
});
