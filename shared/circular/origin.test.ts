import { describe, expect, it } from 'vitest';
import type { OrgView } from '../org/org-view';
import { checkCircularOrigin, isBackdated } from './origin';

/** A city member's view: their city's Space and notice room, and a province Space they cannot see. */
const cityView = (over: Partial<OrgView> = {}): OrgView => ({
  units: [{ code: 'c', name: '市', level: 'city', parentCode: 'p' }],
  roomsByUnit: { c: { spaceId: '!cs', noticeRoomId: '!cn', departments: [] } },
  unitByRoom: { '!cs': 'c', '!cn': 'c' },
  members: [
    { userId: '@admin:s', unitCode: 'c', roles: ['unit_admin'] },
    { userId: '@cityissuer:s', unitCode: 'c', roles: ['issuer'] },
    { userId: '@me:s', unitCode: 'c', roles: ['member'] },
  ],
  conflicts: [],
  unmanaged: [],
  ...over,
});

const check = (sender: string, issuingUnitCode: string, org = cityView(), roomId = '!cn') =>
  checkCircularOrigin({ org, roomId, sender, issuingUnitCode });

describe('checkCircularOrigin', () => {
  it('trusts an issuer of the issuing unit', () => {
    expect(check('@cityissuer:s', 'c')).toEqual({ ok: true });
  });

  it('refuses a unit admin who is not an issuer, whatever unit they name', () => {
    expect(check('@admin:s', 'c')).toEqual({ ok: false, reason: 'not_issuer' });
    expect(check('@admin:s', 'p')).toEqual({ ok: false, reason: 'not_issuer' });
  });

  it('refuses an issuer of one unit naming another whose records the viewer sees', () => {
    expect(
      check(
        '@cityissuer:s',
        'other',
        cityView({
          roomsByUnit: {
            ...cityView().roomsByUnit,
            other: { spaceId: '!os', departments: [] },
          },
        }),
      ),
    ).toEqual({ ok: false, reason: 'not_issuer' });
  });

  it('vouches for a higher issuer (no record here) naming an ancestor unit', () => {
    expect(check('@provinceissuer:s', 'p')).toEqual({ ok: true });
  });

  it('refuses a higher sender naming a unit outside a fully known ancestry', () => {
    const org = cityView({
      units: [
        { code: 'c', name: '市', level: 'city', parentCode: 'p' },
        { code: 'p', name: '省', level: 'province' },
      ],
    });
    expect(check('@provinceissuer:s', 'elsewhere', org)).toEqual({
      ok: false,
      reason: 'not_issuer',
    });
  });

  it('refuses any circular outside a managed notice room', () => {
    expect(check('@cityissuer:s', 'c', cityView(), '!fake')).toEqual({
      ok: false,
      reason: 'unmanaged',
    });
    expect(check('@cityissuer:s', 'c', cityView(), '!cs')).toEqual({
      ok: false,
      reason: 'unmanaged',
    });
  });
});

describe('isBackdated', () => {
  it('marks an issue time more than five minutes before the server received it', () => {
    const ts = 1_800_000_000_000;
    expect(isBackdated(ts - 60_000, ts)).toBe(false);
    expect(isBackdated(ts + 60_000, ts)).toBe(false);
    expect(isBackdated(ts - 86_400_000, ts)).toBe(true);
  });
});
