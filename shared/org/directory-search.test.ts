import { describe, expect, it } from 'vitest';
import {
  buildDirectoryIndex,
  directoryPeople,
  namePinyin,
  searchDirectory,
} from './directory-search';
import { buildOrgTree } from './org-tree';
import type { OrgView } from './org-view';

const org: OrgView = {
  units: [
    { code: 'p', name: '示范省', level: 'province' },
    { code: 'c', name: '东湖市', level: 'city', parentCode: 'p' },
    { code: 'k', name: '青山县', level: 'county', parentCode: 'c' },
  ],
  roomsByUnit: {},
  unitByRoom: {},
  conflicts: [],
  unmanaged: [],
  members: [
    { userId: '@zhangwei:hs', unitCode: 'k', roles: ['member'], position: '科员' },
    { userId: '@wangfang:hs', unitCode: 'c', roles: ['issuer'], position: '办公室主任' },
    { userId: '@shanxin:hs', unitCode: 'p', roles: ['unit_admin'], position: '科长' },
    { userId: '@zhaowen:hs', unitCode: 'k', roles: ['member'], position: '科长' },
    { userId: '@noname:hs', unitCode: 'k', roles: ['member'] },
  ],
};
const names = {
  '@zhangwei:hs': '张伟',
  '@wangfang:hs': '王芳',
  '@shanxin:hs': '单鑫',
  '@zhaowen:hs': '赵文',
};
const tree = buildOrgTree(org.units);
const index = buildDirectoryIndex(directoryPeople(org, names, tree));
const ids = (q: string, opts = {}) => searchDirectory(index, q, opts).map((p) => p.userId);

describe('directory search', () => {
  it('reads names as pinyin, surnames included', () => {
    expect(namePinyin('张伟')).toEqual({ full: 'zhangwei', initials: 'zw' });
    expect(namePinyin('单鑫').full).toBe('shanxin');
  });

  it('finds people by Chinese name, full pinyin and pinyin initials', () => {
    expect(ids('张伟')).toEqual(['@zhangwei:hs']);
    expect(ids('zhangwei')).toEqual(['@zhangwei:hs']);
    expect(ids('zw')[0]).toBe('@zhangwei:hs');
    expect(ids('ZW')[0]).toBe('@zhangwei:hs');
    expect(ids('wf')).toEqual(['@wangfang:hs']);
    expect(ids('shan')).toContain('@shanxin:hs');
  });

  it('matches initials shared by several people, and characters only where they occur', () => {
    // 张伟 and 赵文 share the initials zw; the character 张 belongs to one of them.
    expect(ids('张')).toEqual(['@zhangwei:hs']);
    expect(ids('zw').sort()).toEqual(['@zhangwei:hs', '@zhaowen:hs']);
  });

  it('finds people by position and unit, and combines tokens', () => {
    expect(ids('科长').sort()).toEqual(['@shanxin:hs', '@zhaowen:hs']);
    expect(ids('青山县 科长')).toEqual(['@zhaowen:hs']);
    expect(ids('东湖')).toContain('@wangfang:hs');
  });

  it('limits results to a subtree and lists everyone for an empty query', () => {
    expect(ids('', { under: { tree, code: 'c' } }).sort()).toEqual([
      '@noname:hs',
      '@wangfang:hs',
      '@zhangwei:hs',
      '@zhaowen:hs',
    ]);
    expect(ids('科长', { under: { tree, code: 'k' } })).toEqual(['@zhaowen:hs']);
  });

  it('names a person without a display name by their localpart and shows the unit path', () => {
    const person = searchDirectory(index, 'noname')[0];
    expect(person?.displayName).toBe('noname');
    expect(person?.unitPath).toEqual(['示范省', '东湖市', '青山县']);
  });

  it('finds nothing for a query that matches no one', () => {
    expect(ids('xyzzy')).toEqual([]);
  });
});
