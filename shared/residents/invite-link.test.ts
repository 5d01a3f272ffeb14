import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inviteLink, isInviteFragment, makeInviteToken, parseInviteFragment } from './invite-link';
import type { Digest, InviteDescriptor } from './invite-link';
import { inviteStatus, parseInviteRequest } from './invites';
import type { ResidentInviteRecord } from './invites';

const digest: Digest = (text) =>
  Promise.resolve(new Uint8Array(createHash('sha256').update(text, 'utf8').digest()));
const descriptor: InviteDescriptor = {
  unitCode: '990121100201',
  unitName: '桃花村',
  contact: '赵振华',
  expiresAt: 1_800_000_000_000,
  agent: '@hongyan-admin:hy.test',
};
const RANDOM = 'abcdefghijklmnopqrstuvwxyz012345';

describe('invitation links', () => {
  it('round-trip through the URL fragment and bind what the page shows to the token', async () => {
    const token = await makeInviteToken(descriptor, RANDOM, digest);
    expect(token).toMatch(/^[A-Za-z0-9_-]{16}\.abcdefghijklmnopqrstuvwxyz012345$/);
    const link = inviteLink('https://app.example/#/old', { descriptor, token });
    const hash = new URL(link).hash;
    expect(isInviteFragment(hash)).toBe(true);
    expect(await parseInviteFragment(hash, digest)).toEqual({
      ok: true,
      invite: { descriptor, token },
    });
  });

  it('refuse an altered name, contact, expiry or token, and a malformed fragment', async () => {
    const token = await makeInviteToken(descriptor, RANDOM, digest);
    const hash = new URL(inviteLink('https://app.example/', { descriptor, token })).hash;
    for (const [from, to] of [
      [encodeURIComponent('桃花村'), encodeURIComponent('杏花村')],
      [encodeURIComponent('赵振华'), encodeURIComponent('骗子')],
      ['e=1800000000000', 'e=1900000000000'],
      [`t=${token.slice(0, 4)}`, 't=ZZZZ'],
    ] as const)
      expect(await parseInviteFragment(hash.replace(from, to), digest)).toEqual({
        ok: false,
        problem: 'altered',
      });
    for (const bad of ['#join?u=1', '#join?%E0%A4%A', hash.replace(/&t=[^&]+/, ''), '#other'])
      expect(await parseInviteFragment(bad, digest)).toEqual({ ok: false, problem: 'malformed' });
  });
});

describe('invitation records and requests', () => {
  const record: ResidentInviteRecord = {
    ...descriptor,
    token: 't',
    usesAllowed: 2,
    joinedCount: 0,
    createdBy: '@w:hy.test',
    createdAt: 0,
  };
  it('report revoked, expired, used up or active, in that order', () => {
    expect(inviteStatus(record, 0)).toBe('active');
    expect(inviteStatus({ ...record, joinedCount: 2 }, 0)).toBe('used-up');
    expect(inviteStatus({ ...record, joinedCount: 2 }, descriptor.expiresAt)).toBe('expired');
    expect(inviteStatus({ ...record, revokedAt: 1 }, descriptor.expiresAt)).toBe('revoked');
  });
  it('name the offending field of a malformed request', () => {
    expect(parseInviteRequest({ action: 'create-invite', usesAllowed: 0, validHours: 1 })).toEqual({
      ok: false,
      error: expect.stringContaining('usesAllowed') as unknown as string,
    });
    expect(parseInviteRequest({ action: 'revoke-invite', inviteId: 'inv-1' }).ok).toBe(true);
  });
});
