/**
 * The origin rule of a community's residents' notice room (群众通知), as a resident sees it: no unit
 * Space, so no role records; the room's power levels vouch for the sender (docs/trust.md).
 */
import { describe, expect, it } from 'vitest';
import { UNIT_ROOM_STATE_EVENT } from '../matrix-types';
import { buildOrgView, type JoinedRoomState } from '../org/org-view';
import type { StateEventRecord } from '../org/snapshot';
import { checkCircularOrigin, isManagedNoticeRoom, RESIDENTS_ISSUER_LEVEL } from './origin';

const ADMIN = '@hongyan-admin:gov.example';
const CODE = '990121100201';
const GRID = '@grid:gov.example';
const RESIDENT = '@resident:gov.example';

/** A room's state: who created it, its canonical alias and the unit room it claims to be. */
const roomState = (over: {
  creator?: string;
  alias?: string;
  kind?: string;
  unitCode?: string;
}): StateEventRecord[] => [
  { type: 'm.room.create', state_key: '', sender: over.creator ?? ADMIN, content: {} },
  {
    type: 'm.room.canonical_alias',
    state_key: '',
    content: { alias: over.alias ?? `#hy.${CODE}.residents_notice:gov.example` },
  },
  {
    type: UNIT_ROOM_STATE_EVENT,
    state_key: '',
    content: { unitCode: over.unitCode ?? CODE, kind: over.kind ?? 'residents_notice' },
  },
];

/** What a resident joined: the community's two residents' rooms, plus whatever `extra` rooms. */
const residentView = (extra: JoinedRoomState[] = []) =>
  buildOrgView(
    [
      { roomId: '!rn', state: roomState({}) },
      {
        roomId: '!rr',
        state: roomState({ alias: `#hy.${CODE}.residents:gov.example`, kind: 'residents' }),
      },
      ...extra,
    ],
    [ADMIN],
  );

const check = (roomId: string, senderLevel: number | undefined, issuingUnitCode = CODE) =>
  checkCircularOrigin({
    org: residentView([
      { roomId: '!fake', state: roomState({ creator: RESIDENT }) },
      {
        roomId: '!forged',
        state: roomState({ creator: RESIDENT, alias: `#hy.${CODE}.residents_notice:gov.example` }),
      },
      { roomId: '!other', state: roomState({ alias: `#village-news:gov.example` }) },
    ]),
    roomId,
    sender: GRID,
    issuingUnitCode,
    ...(senderLevel === undefined ? {} : { senderLevel }),
  });

describe('circulars in a residents’ notice room', () => {
  it('recognises the managed residents’ notice room without the unit Space', () => {
    const org = residentView();
    expect(org.units).toEqual([]);
    expect(org.members).toEqual([]);
    expect(org.roomsByUnit[CODE]?.residentsNoticeRoomId).toBe('!rn');
    expect(isManagedNoticeRoom(org, '!rn')).toBe(true);
    // The residents' chat room is managed but not a notice room.
    expect(isManagedNoticeRoom(org, '!rr')).toBe(false);
  });

  it('trusts a sender at the issuers’ level naming the community as issuer', () => {
    expect(check('!rn', RESIDENTS_ISSUER_LEVEL)).toEqual({ ok: true });
    // A unit admin (90) of the community speaks for it too.
    expect(check('!rn', 90)).toEqual({ ok: true });
  });

  it('refuses a resident (level 0), anyone below the issuers’ level, or no level at all', () => {
    expect(check('!rn', 0)).toEqual({ ok: false, reason: 'not_issuer' });
    expect(check('!rn', RESIDENTS_ISSUER_LEVEL - 1)).toEqual({ ok: false, reason: 'not_issuer' });
    expect(check('!rn', undefined)).toEqual({ ok: false, reason: 'not_issuer' });
  });

  it('refuses an issuer naming another unit than the community', () => {
    expect(check('!rn', RESIDENTS_ISSUER_LEVEL, '990121100000')).toEqual({
      ok: false,
      reason: 'not_issuer',
    });
  });

  it('keeps look-alike rooms unmanaged, whatever power their creator holds', () => {
    const org = residentView([
      { roomId: '!fake', state: roomState({ creator: RESIDENT }) },
      { roomId: '!other', state: roomState({ alias: '#village-news:gov.example' }) },
      {
        roomId: '!otherkind',
        state: roomState({ alias: `#hy.${CODE}.residents:gov.example` }),
      },
    ]);
    expect(org.unmanaged).toEqual([
      { roomId: '!fake', reason: 'not_provisioned' },
      { roomId: '!other', reason: 'alias_mismatch' },
      { roomId: '!otherkind', reason: 'alias_mismatch' },
    ]);
    // The resident made themselves 100 in their own room: it is still not the community's.
    for (const roomId of ['!fake', '!forged', '!other'])
      expect(check(roomId, 100)).toEqual({ ok: false, reason: 'unmanaged' });
  });
});
