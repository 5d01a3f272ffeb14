import { describe, expect, it } from 'vitest';
import { formatDirectoryProblem, specFromDirectory, type DirectoryEntry } from './directory-spec';

const BASE = 'ou=units,dc=demo,dc=gov,dc=cn';
const ou = (dn: string, code: string, name: string, level: string): DirectoryEntry => ({
  dn,
  attributes: {
    objectclass: ['organizationalUnit'],
    ou: [code],
    description: [name],
    businesscategory: [level],
  },
});
const person = (dn: string, attrs: Record<string, string[]>): DirectoryEntry => ({
  dn,
  attributes: { objectclass: ['inetOrgPerson'], ...attrs },
});

const PROVINCE = ou(`ou=990000,${BASE}`, '990000', '示范省', 'province');
const CITY = ou(`ou=990100,ou=990000,${BASE}`, '990100', '东湖市', 'city');
const CONTAINER: DirectoryEntry = {
  dn: BASE,
  attributes: { objectclass: ['organizationalUnit'], ou: ['units'] },
};

describe('specFromDirectory', () => {
  it('maps nested OUs to units and people to users of the unit above them', () => {
    const result = specFromDirectory([
      CONTAINER,
      PROVINCE,
      CITY,
      person(`uid=zhangsan,ou=990100,ou=990000,${BASE}`, {
        uid: ['zhangsan'],
        cn: ['张三'],
        title: ['科员'],
        businesscategory: ['issuer'],
      }),
      person(`uid=lisi,ou=990000,${BASE}`, {
        uid: ['lisi'],
        cn: ['李四'],
        employeetype: ['disabled'],
      }),
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec.units).toEqual([
      { code: '990000', name: '示范省', level: 'province' },
      { code: '990100', name: '东湖市', level: 'city', parent: '990000' },
    ]);
    expect(result.spec.users).toEqual([
      {
        username: 'zhangsan',
        displayName: '张三',
        unit: '990100',
        position: '科员',
        roles: ['issuer'],
      },
    ]);
    expect(result.disabled).toEqual(['lisi']);
    expect(result.subjects.get('zhangsan')).toBe('zhangsan');
  });

  it('names the DN and attribute of every malformed entry, and yields no spec', () => {
    const result = specFromDirectory([
      PROVINCE,
      ou(`ou=990200,ou=990000,${BASE}`, '990200', '西山市', 'metropolis'),
      person(`uid=nocn,ou=990000,${BASE}`, { uid: ['nocn'] }),
      person(`cn=无账号,ou=990000,${BASE}`, { cn: ['无账号'] }),
      person(`uid=orphan,dc=demo,dc=gov,dc=cn`, { uid: ['orphan'], cn: ['孤儿'] }),
      person(`uid=BadName,ou=990000,${BASE}`, { uid: ['BadName'], cn: ['大写'] }),
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.problems.map(formatDirectoryProblem);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^ou=990200,ou=990000,ou=units,dc=demo,dc=gov,dc=cn businessCategory: /,
        ),
        expect.stringMatching(/^cn=无账号,ou=990000,\S+ uid: /),
        expect.stringMatching(/^uid=orphan,dc=demo,dc=gov,dc=cn dn: /),
        expect.stringMatching(/^uid=nocn,ou=990000,\S+ cn: /),
        expect.stringMatching(/^uid=BadName,ou=990000,\S+ uid: /),
      ]),
    );
  });
});
