import { describe, expect, it } from 'vitest';
import {
  acceptGrant,
  buildKeyGrant,
  buildKeyRefusal,
  buildKeyRequest,
  decideGrant,
  parseKeyGrant,
  parseKeyRefusal,
  parseKeyRequest,
  type ExportedSessionKey,
  type GrantFacts,
  type KeyRequest,
} from './key-grant';

const request: KeyRequest = {
  requestId: 'r1',
  roomId: '!notice:gov.example.cn',
  eventId: '$circular',
  sessionId: 'sess1',
};

const key: ExportedSessionKey = {
  algorithm: 'm.megolm.v1.aes-sha2',
  room_id: request.roomId,
  session_id: request.sessionId,
  sender_key: 'curveOfIssuer',
  session_key: 'AgAAAA…',
  sender_claimed_keys: { ed25519: 'edOfIssuer' },
  forwarding_curve25519_key_chain: [],
};

const facts = (over: Partial<GrantFacts> = {}): GrantFacts => ({
  request,
  requester: {
    userId: '@li:gov.example.cn',
    deviceKnown: true,
    hasIdentity: true,
    crossSigned: true,
  },
  event: { sessionId: 'sess1', isCircular: true },
  membershipBefore: 'join',
  ...over,
});

describe('key grant wire format', () => {
  it('round-trips a request, a grant and a refusal', () => {
    expect(parseKeyRequest(buildKeyRequest(request))).toEqual({ ok: true, request });
    expect(parseKeyGrant(buildKeyGrant({ ...request, key }))).toEqual({
      ok: true,
      grant: { ...request, key },
    });
    expect(parseKeyRefusal(buildKeyRefusal({ ...request, reason: 'not_recipient' }))).toEqual({
      ok: true,
      refusal: { ...request, reason: 'not_recipient' },
    });
  });

  it('says what is wrong and where', () => {
    const bad = parseKeyRequest({ ...buildKeyRequest(request), room_id: 'notice' });
    expect(bad).toMatchObject({ ok: false, errors: [{ path: '/room_id' }] });
    const wrongSession = parseKeyGrant(
      buildKeyGrant({ ...request, key: { ...key, session_id: 'other' } }),
    );
    expect(wrongSession).toMatchObject({ ok: false, errors: [{ path: '/key' }] });
    const badAlg = parseKeyGrant(
      buildKeyGrant({ ...request, key: { ...key, algorithm: 'm.olm' } }),
    );
    expect(badAlg).toMatchObject({ ok: false, errors: [{ path: '/key/algorithm' }] });
    expect(parseKeyRefusal({ ...buildKeyRequest(request), reason: 'because' }).ok).toBe(false);
  });
});

describe('decideGrant', () => {
  it('grants a cross-signed device of a recipient the session of a circular', () => {
    expect(decideGrant(facts())).toEqual({ kind: 'grant' });
  });

  it('trusts the device list on first use while the user has no identity yet', () => {
    const requester = {
      userId: '@li:gov.example.cn',
      deviceKnown: true,
      hasIdentity: false,
      crossSigned: false,
    };
    expect(decideGrant(facts({ requester }))).toEqual({ kind: 'grant' });
  });

  it('refuses a device not signed by the user’s identity', () => {
    const requester = {
      userId: '@li:gov.example.cn',
      deviceKnown: true,
      hasIdentity: true,
      crossSigned: false,
    };
    expect(decideGrant(facts({ requester }))).toEqual({
      kind: 'refuse',
      reason: 'unverified_device',
    });
  });

  it('stays silent for a device it cannot find and a session it does not hold', () => {
    const requester = {
      userId: '@li:gov.example.cn',
      deviceKnown: false,
      hasIdentity: false,
      crossSigned: false,
    };
    expect(decideGrant(facts({ requester })).kind).toBe('silent');
    const { event: _e, ...rest } = facts();
    expect(decideGrant(rest).kind).toBe('silent');
  });

  it('refuses late joiners, people who had left, non-circulars and a session of another event', () => {
    const { membershipBefore: _m, ...never } = facts();
    expect(decideGrant(never)).toEqual({ kind: 'refuse', reason: 'not_recipient' });
    for (const m of ['leave', 'invite', 'ban', 'knock'])
      expect(decideGrant(facts({ membershipBefore: m }))).toEqual({
        kind: 'refuse',
        reason: 'not_recipient',
      });
    expect(decideGrant(facts({ event: { sessionId: 'sess1', isCircular: false } }))).toEqual({
      kind: 'refuse',
      reason: 'not_circular',
    });
    expect(decideGrant(facts({ event: { sessionId: 'older', isCircular: true } }))).toEqual({
      kind: 'refuse',
      reason: 'session_mismatch',
    });
  });

  it('serves work-room messages to members joined before them, never a session older than the join', () => {
    const chat = { sessionId: 'sess1', isCircular: false, inWorkRoom: true };
    expect(decideGrant(facts({ event: chat }))).toEqual({ kind: 'grant' });
    expect(decideGrant(facts({ event: chat, membershipBefore: 'invite' }))).toEqual({
      kind: 'refuse',
      reason: 'not_recipient',
    });
    expect(decideGrant(facts({ event: chat, sessionPredatesJoin: true }))).toEqual({
      kind: 'refuse',
      reason: 'not_recipient',
    });
  });
});

describe('acceptGrant', () => {
  const granter = { userId: '@issuer:gov.example.cn', deviceKnown: true, entitled: true };
  const grant = { ...request, key };

  it('imports what this device asked for from an entitled granter', () => {
    expect(acceptGrant({ grant, granter, asked: true, eventSenderKey: 'curveOfIssuer' })).toEqual({
      ok: true,
    });
  });

  it('ignores unasked grants, unknown devices, members who may not grant and keys of another device', () => {
    expect(acceptGrant({ grant, granter, asked: false }).ok).toBe(false);
    expect(
      acceptGrant({ grant, granter: { ...granter, deviceKnown: false }, asked: true }).ok,
    ).toBe(false);
    expect(acceptGrant({ grant, granter: { ...granter, entitled: false }, asked: true }).ok).toBe(
      false,
    );
    expect(
      acceptGrant({ grant, granter, asked: true, eventSenderKey: 'curveOfSomeoneElse' }).ok,
    ).toBe(false);
  });
});
