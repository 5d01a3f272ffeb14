import { describe, expect, it } from 'vitest';
import { UNIT_ROOM_STATE_EVENT } from '../matrix-types';
import {
  checkManagedRoom,
  orgWellKnownContent,
  ORG_WELL_KNOWN_KEY,
  parseOrgWellKnown,
  roomCreator,
} from './managed-rooms';
import type { StateEventRecord } from './snapshot';

const ADMIN = '@hongyan-admin:gov.example';

const room = (over: { creator?: string; alias?: string; content?: object }): StateEventRecord[] => [
  { type: 'm.room.create', state_key: '', sender: over.creator ?? ADMIN, content: {} },
  {
    type: 'm.room.canonical_alias',
    state_key: '',
    content: { alias: over.alias ?? '#hy.330100.dept.office:gov.example' },
  },
  {
    type: UNIT_ROOM_STATE_EVENT,
    state_key: '',
    content: (over.content ?? {
      unitCode: '330100',
      kind: 'department',
      slug: 'office',
    }) as Record<string, unknown>,
  },
];

describe('checkManagedRoom', () => {
  it('accepts a room the provisioning account created under the org alias its state claims', () => {
    expect(checkManagedRoom(room({}), [ADMIN])).toEqual({
      managed: true,
      unitCode: '330100',
      kind: 'department',
      slug: 'office',
    });
  });

  it.each([
    ['another creator', { creator: '@mallory:gov.example' }, 'not_provisioned'],
    [
      'a provisioning account of another server',
      { alias: '#hy.330100.dept.office:evil.example' },
      'alias_mismatch',
    ],
    ['an alias outside the naming', { alias: '#office:gov.example' }, 'alias_mismatch'],
    [
      'an alias of another department',
      { alias: '#hy.330100.dept.finance:gov.example' },
      'alias_mismatch',
    ],
    [
      'state of another unit',
      { content: { unitCode: '330200', kind: 'department', slug: 'office' } },
      'alias_mismatch',
    ],
  ])('refuses %s', (_what, over, reason) => {
    expect(checkManagedRoom(room(over), [ADMIN])).toEqual({ managed: false, reason });
  });

  it('refuses everything without provisioning accounts', () => {
    expect(checkManagedRoom(room({}), [])).toEqual({ managed: false, reason: 'no_trust_anchor' });
  });

  it('reads the creator from the pre-v11 creator field when the sender is unknown', () => {
    expect(
      roomCreator([{ type: 'm.room.create', state_key: '', content: { creator: ADMIN } }]),
    ).toBe(ADMIN);
    expect(roomCreator([])).toBeUndefined();
  });
});

describe('parseOrgWellKnown', () => {
  it('reads the provisioning accounts the homeserver config publishes', () => {
    expect(parseOrgWellKnown({ [ORG_WELL_KNOWN_KEY]: orgWellKnownContent([ADMIN]) })).toEqual({
      ok: true,
      provisioningAccounts: [ADMIN],
    });
  });

  it.each([
    [{}, 'no "cn.hongyan.org" entry'],
    [{ [ORG_WELL_KNOWN_KEY]: { provisioning_accounts: [] } }, 'non-empty list'],
    [
      { [ORG_WELL_KNOWN_KEY]: { provisioning_accounts: ['admin'] } },
      '"admin" is not a Matrix user ID',
    ],
    [null, 'no "cn.hongyan.org" entry'],
  ])('names what is wrong with %j', (body, message) => {
    const parsed = parseOrgWellKnown(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(message);
  });
});
