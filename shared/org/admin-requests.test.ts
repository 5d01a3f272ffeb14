import { describe, expect, it } from 'vitest';
import {
  applyAdminRequest,
  checkAdminRequest,
  parseAdminRequest,
  parseAdminResult,
  type AdminRequest,
} from './admin-requests';
import type { OrgSpec } from './spec-types';
import { countiesUnderCity } from '../../testing/org-specs';

const spec: OrgSpec = {
  version: 1,
  units: countiesUnderCity(),
  users: [
    { username: 'admin-a', displayName: '甲', unit: 'ka', roles: ['unit_admin'] },
    { username: 'member-a', displayName: '乙', unit: 'ka', roles: ['member'], position: '科员' },
    { username: 'member-b', displayName: '丙', unit: 'kb', roles: ['member'] },
    { username: 'admin-c', displayName: '丁', unit: 'c', roles: ['unit_admin', 'issuer'] },
  ],
};
const sealedPassword = { alg: 'RSA-OAEP-256', keyId: 'k1', ciphertext: 'AAAA' } as const;
const refusal = (requesterId: string, spaceUnitCode: string, request: AdminRequest) =>
  checkAdminRequest({ spec, serverName: 'hs', requesterId, spaceUnitCode, request });
const check = (requesterId: string, spaceUnitCode: string, request: AdminRequest) =>
  refusal(requesterId, spaceUnitCode, request)?.message;

describe('parseAdminRequest', () => {
  it('accepts each kind of request', () => {
    const ok = parseAdminRequest({
      action: 'create-user',
      username: 'li.lei',
      displayName: '李雷',
      unitCode: 'ka',
      roles: ['member'],
      sealedPassword,
    });
    expect(ok.ok).toBe(true);
    expect(parseAdminRequest({ action: 'deactivate-user', userId: '@x:hs' }).ok).toBe(true);
    expect(
      parseAdminRequest({
        action: 'add-department',
        unitCode: 'ka',
        slug: 'office',
        name: '办公室',
      }).ok,
    ).toBe(true);
  });

  it('names the offending field of a malformed request', () => {
    const bad = parseAdminRequest({
      action: 'create-user',
      username: 'Li Lei',
      displayName: 'x',
      unitCode: 'ka',
      sealedPassword,
    });
    expect(bad).toEqual({ ok: false, error: expect.stringContaining('username') });
    const unknown = parseAdminRequest({ action: 'drop-database' });
    expect(unknown.ok).toBe(false);
    expect(parseAdminRequest('nope').ok).toBe(false);
    const noUser = parseAdminRequest({ action: 'move-user', userId: 'bob', toUnitCode: 'ka' });
    expect(noUser).toEqual({ ok: false, error: expect.stringContaining('userId') });
  });

  it('reads results and ignores anything else', () => {
    expect(parseAdminResult({ status: 'ok', message: 'done' })).toEqual({
      status: 'ok',
      message: 'done',
    });
    expect(parseAdminResult({ status: 'maybe', message: 'x' })).toBeUndefined();
  });
});

describe('checkAdminRequest', () => {
  it('lets a unit admin act inside their own subtree', () => {
    expect(
      check('@admin-a:hs', 'ka', {
        action: 'create-user',
        username: 'new',
        displayName: '新',
        unitCode: 'ka',
        sealedPassword,
      }),
    ).toBeUndefined();
    expect(
      check('@admin-c:hs', 'c', { action: 'move-user', userId: '@member-a:hs', toUnitCode: 'kb' }),
    ).toBeUndefined();
    expect(
      check('@admin-c:hs', 'c', {
        action: 'add-unit',
        code: 'kc',
        name: '新县',
        level: 'county',
        parentCode: 'c',
      }),
    ).toBeUndefined();
  });

  it('says what kind of refusal it is', () => {
    expect(
      refusal('@admin-a:hs', 'ka', { action: 'deactivate-user', userId: '@member-b:hs' })?.code,
    ).toBe('outside-subtree');
    expect(
      refusal('@member-a:hs', 'ka', { action: 'deactivate-user', userId: '@admin-a:hs' })?.code,
    ).toBe('not-unit-admin');
  });

  it("refuses targets in another county's subtree", () => {
    expect(
      check('@admin-a:hs', 'ka', {
        action: 'create-user',
        username: 'new',
        displayName: '新',
        unitCode: 'kb',
        sealedPassword,
      }),
    ).toMatch(/kb.*outside ka/);
    expect(
      check('@admin-a:hs', 'ka', { action: 'deactivate-user', userId: '@member-b:hs' }),
    ).toMatch(/outside/);
    expect(
      check('@admin-a:hs', 'ka', { action: 'move-user', userId: '@member-a:hs', toUnitCode: 'kb' }),
    ).toMatch(/toUnitCode.*outside/);
    // Upwards is outside too: a county admin cannot touch the city.
    expect(
      check('@admin-a:hs', 'ka', { action: 'set-roles', userId: '@admin-c:hs', roles: ['member'] }),
    ).toMatch(/outside/);
  });

  it('refuses requesters who are not unit admins of the Space', () => {
    expect(
      check('@member-a:hs', 'ka', { action: 'deactivate-user', userId: '@admin-a:hs' }),
    ).toMatch(/not a unit admin/);
    // A unit admin of the city sending in a county's Space is not that county's admin.
    expect(
      check('@admin-c:hs', 'ka', { action: 'deactivate-user', userId: '@member-a:hs' }),
    ).toMatch(/not a unit admin/);
  });

  it('names unknown units and users, duplicates and self-deactivation', () => {
    expect(
      check('@admin-a:hs', 'zz', { action: 'deactivate-user', userId: '@member-a:hs' }),
    ).toMatch(/unknown unit zz/);
    expect(check('@admin-a:hs', 'ka', { action: 'deactivate-user', userId: '@ghost:hs' })).toMatch(
      /unknown user/,
    );
    expect(
      check('@admin-a:hs', 'ka', {
        action: 'add-department',
        unitCode: 'nope',
        slug: 'x',
        name: 'x',
      }),
    ).toMatch(/unknown unit nope/);
    expect(
      check('@admin-a:hs', 'ka', {
        action: 'create-user',
        username: 'member-b',
        displayName: 'x',
        unitCode: 'ka',
        sealedPassword,
      }),
    ).toMatch(/already exists/);
    expect(
      check('@admin-a:hs', 'ka', { action: 'deactivate-user', userId: '@admin-a:hs' }),
    ).toMatch(/own account/);
  });
});

describe('applyAdminRequest', () => {
  it('adds, moves, re-roles and removes users', () => {
    const added = applyAdminRequest(
      spec,
      {
        action: 'create-user',
        username: 'new',
        displayName: '新',
        unitCode: 'ka',
        position: '科员',
        sealedPassword,
      },
      'hs',
    );
    expect(added.users.at(-1)).toEqual({
      username: 'new',
      displayName: '新',
      unit: 'ka',
      roles: ['member'],
      position: '科员',
    });
    const moved = applyAdminRequest(
      spec,
      { action: 'move-user', userId: '@member-a:hs', toUnitCode: 'kb' },
      'hs',
    );
    expect(moved.users.find((u) => u.username === 'member-a')).toEqual({
      username: 'member-a',
      displayName: '乙',
      unit: 'kb',
      roles: ['member'],
      position: '科员',
    });
    const roled = applyAdminRequest(
      spec,
      { action: 'set-roles', userId: '@member-a:hs', roles: ['issuer'] },
      'hs',
    );
    expect(roled.users.find((u) => u.username === 'member-a')?.roles).toEqual(['issuer']);
    const gone = applyAdminRequest(
      spec,
      { action: 'deactivate-user', userId: '@member-a:hs' },
      'hs',
    );
    expect(gone.users.map((u) => u.username)).not.toContain('member-a');
    expect(spec.users).toHaveLength(4); // the input is not mutated
  });

  it('adds units and department rooms', () => {
    const withUnit = applyAdminRequest(
      spec,
      { action: 'add-unit', code: 'kc', name: '新县', level: 'county', parentCode: 'c' },
      'hs',
    );
    expect(withUnit.units.at(-1)).toEqual({
      code: 'kc',
      name: '新县',
      level: 'county',
      parent: 'c',
    });
    const withDept = applyAdminRequest(
      spec,
      { action: 'add-department', unitCode: 'ka', slug: 'office', name: '办公室' },
      'hs',
    );
    expect(withDept.units.find((u) => u.code === 'ka')?.rooms?.departments).toEqual([
      { slug: 'office', name: '办公室' },
    ]);
  });
});
