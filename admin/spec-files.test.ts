import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrgSpec, parseCsvText, SpecFileError } from './spec-files';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hy-spec-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SPEC = `version: 1
units:
  - { code: "990000", name: 示范省, level: province }
  - { code: "990100", name: 东湖市, level: city, parent: "990000" }
`;

/** Writes SPEC as org.yaml and `csv` as `csvName` in the test's folder, and loads the two. */
async function loadWithCsv(csv: string, csvName = 'users.csv'): ReturnType<typeof loadOrgSpec> {
  await writeFile(path.join(dir, 'org.yaml'), SPEC);
  await writeFile(path.join(dir, csvName), csv);
  return loadOrgSpec({
    specPath: path.join(dir, 'org.yaml'),
    usersCsvPath: path.join(dir, csvName),
  });
}

describe('parseCsvText', () => {
  it('gives each record the line it starts on, across blank lines and quoted newlines', () => {
    const text = '\uFEFFusername,姓名,unit\r\nzhang,"张\n三",990100\r\n\r\nli,李四,990000\r\n';
    const { headers, records, errors } = parseCsvText(text, 'u.csv');
    expect(errors).toEqual([]);
    expect(headers).toEqual(['username', '姓名', 'unit']);
    expect(records).toEqual([
      { line: 2, values: { username: 'zhang', 姓名: '张\n三', unit: '990100' } },
      { line: 5, values: { username: 'li', 姓名: '李四', unit: '990000' } },
    ]);
  });

  it('reports a record with the wrong number of fields at its line', () => {
    const { errors } = parseCsvText('username,displayName,unit\na,甲,990000\nb,乙\n', 'u.csv');
    expect(errors).toEqual([
      {
        file: 'u.csv',
        line: 3,
        kind: 'syntax',
        field: '(csv)',
        message: 'expected 3 fields, found 2',
      },
    ]);
  });
});

describe('loadOrgSpec', () => {
  it('loads the demo province', async () => {
    const spec = await loadOrgSpec({
      specPath: path.join(import.meta.dirname, '../homeserver/demo/province.yaml'),
    });
    expect(spec.units[0]).toMatchObject({ code: '990000', name: '示范省', level: 'province' });
    expect(spec.users.filter((u) => u.roles?.includes('issuer'))).toHaveLength(spec.units.length);
    expect(spec.users.some((u) => u.password !== undefined)).toBe(false);
  });

  it('adds CSV users and names the CSV file and line of a bad one', async () => {
    const err = await loadWithCsv(
      'username,displayName,unit,position,roles\nzhang,张三,990100,科员,issuer\nli,李四,990999,,\n',
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpecFileError);
    expect((err as SpecFileError).message).toContain(
      'users.csv:3 users[1].unit: unknown unit "990999"',
    );
    const spec = await loadWithCsv(
      'username,displayName,unit,position,roles\nzhang,张三,990100,科员,issuer\n',
    );
    expect(spec.users).toEqual([
      {
        username: 'zhang',
        displayName: '张三',
        unit: '990100',
        position: '科员',
        roles: ['issuer'],
      },
    ]);
  });
});

describe('hostile spec files', () => {
  it('refuses a YAML alias bomb with an error instead of throwing', async () => {
    const bomb = `a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nunits: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`;
    await writeFile(path.join(dir, 'bomb.yaml'), bomb);
    const err = await loadOrgSpec({ specPath: path.join(dir, 'bomb.yaml') }).catch((e) => e);
    expect(err).toBeInstanceOf(SpecFileError);
    expect((err as Error).message).toMatch(/bomb\.yaml \(yaml\): Excessive alias count/);
  });

  it('names an empty CSV header cell by its column', async () => {
    const err = await loadWithCsv('username,,displayName,unit\n', 'u.csv').catch((e: unknown) => e);
    expect((err as Error).message).toContain('u.csv:1 (column 2): unknown column ""');
  });
});
