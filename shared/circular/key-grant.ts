/**
 * Key grants: how a recipient's device that did not exist when a circular was sent (a first sign-in
 * after the send, or a new device) obtains the circular's Megolm session from a device that holds
 * it. Wire format of the three Olm-encrypted to-device messages, and the two decisions: whether a
 * granter hands the session out, and whether a recipient imports what it got.
 *
 * Pure: the adapter (renderer/src/circulars/key-grants.ts) gathers the facts from the Matrix client.
 */
import { HONGYAN_NS } from '../matrix-types';
import type { ParseResult } from './parse-result';
import { issuesToErrors } from './parse-result';
import { z } from './zod';

/** A recipient's device asks for the session of one undecryptable circular copy. */
export const KEY_REQUEST_EVENT = `${HONGYAN_NS}.key_request`;
/** A granter's answer: the exported session, encrypted to the one requesting device. */
export const KEY_GRANT_EVENT = `${HONGYAN_NS}.key_grant`;
/** A granter's definite no (the requester stops showing the item as waiting, or says why). */
export const KEY_REFUSAL_EVENT = `${HONGYAN_NS}.key_refusal`;

const roomIdSchema = z
  .string()
  .max(255)
  .regex(/^!\S+$/, { message: 'must be a Matrix room id (!…)' });
const eventIdSchema = z
  .string()
  .max(255)
  .regex(/^\$\S+$/, { message: 'must be a Matrix event id ($…)' });
const sessionIdSchema = z.string().min(1).max(255);
const requestIdSchema = z.string().min(1).max(128);

/** Content of {@link KEY_REQUEST_EVENT}. */
export interface KeyRequest {
  requestId: string;
  roomId: string;
  eventId: string;
  sessionId: string;
}

const keyRequestSchema = z.object({
  request_id: requestIdSchema,
  room_id: roomIdSchema,
  event_id: eventIdSchema,
  session_id: sessionIdSchema,
});

/** The exported Megolm session as the crypto layer exports and imports it. */
export interface ExportedSessionKey {
  algorithm: string;
  room_id: string;
  session_id: string;
  sender_key: string;
  session_key: string;
  sender_claimed_keys: Record<string, string>;
  forwarding_curve25519_key_chain: string[];
}

const exportedKeySchema = z.object({
  algorithm: z.literal('m.megolm.v1.aes-sha2'),
  room_id: roomIdSchema,
  session_id: sessionIdSchema,
  sender_key: z.string().min(1).max(255),
  session_key: z.string().min(1).max(4096),
  sender_claimed_keys: z.record(z.string(), z.string().max(255)),
  forwarding_curve25519_key_chain: z.array(z.string().max(255)).max(32),
});

/** Content of {@link KEY_GRANT_EVENT}. */
export interface KeyGrant extends KeyRequest {
  key: ExportedSessionKey;
}

const keyGrantSchema = keyRequestSchema.extend({ key: exportedKeySchema });

/**
 * Why a granter refuses. Only definite refusals are sent; a granter that does not hold the session
 * stays silent, since another granter may.
 */
export type RefusalReason =
  /** The requester was not a joined member just before the event, or its session began before their join. */
  | 'not_recipient'
  /** The event is neither a circular nor a work-room message (only those sessions are granted). */
  | 'not_circular'
  /** The requesting device is not cross-signed by its user's identity. */
  | 'unverified_device'
  /** The requested session is not the one that encrypted the event. */
  | 'session_mismatch';

const REFUSAL_REASONS = [
  'not_recipient',
  'not_circular',
  'unverified_device',
  'session_mismatch',
] as const;

/** Content of {@link KEY_REFUSAL_EVENT}. */
export interface KeyRefusal extends KeyRequest {
  reason: RefusalReason;
}

const keyRefusalSchema = keyRequestSchema.extend({ reason: z.enum(REFUSAL_REASONS) });

type Wire<T extends KeyRequest> = Omit<T, keyof KeyRequest> & {
  request_id: string;
  room_id: string;
  event_id: string;
  session_id: string;
};

function toWire<T extends KeyRequest>(value: T): Wire<T> {
  const { requestId, roomId, eventId, sessionId, ...rest } = value;
  return {
    request_id: requestId,
    room_id: roomId,
    event_id: eventId,
    session_id: sessionId,
    ...rest,
  };
}

function fromWire(w: z.infer<typeof keyRequestSchema>): KeyRequest {
  return {
    requestId: w.request_id,
    roomId: w.room_id,
    eventId: w.event_id,
    sessionId: w.session_id,
  };
}

/** Builds the content of a key request. */
export function buildKeyRequest(request: KeyRequest): Record<string, unknown> {
  return toWire(request);
}

/** Builds the content of a key grant. */
export function buildKeyGrant(grant: KeyGrant): Record<string, unknown> {
  return toWire(grant);
}

/** Builds the content of a refusal. */
export function buildKeyRefusal(refusal: KeyRefusal): Record<string, unknown> {
  return toWire(refusal);
}

/** Parses a key request's content; never throws. */
export function parseKeyRequest(content: unknown): ParseResult<'request', KeyRequest> {
  const r = keyRequestSchema.safeParse(content);
  return r.success
    ? { ok: true, request: fromWire(r.data) }
    : { ok: false, errors: issuesToErrors(r.error.issues) };
}

/** Parses a key grant's content; never throws. The key must be for the named room and session. */
export function parseKeyGrant(content: unknown): ParseResult<'grant', KeyGrant> {
  const r = keyGrantSchema.safeParse(content);
  if (!r.success) return { ok: false, errors: issuesToErrors(r.error.issues) };
  const { key } = r.data;
  if (key.room_id !== r.data.room_id || key.session_id !== r.data.session_id)
    return { ok: false, errors: [{ path: '/key', message: 'key is for another room or session' }] };
  return { ok: true, grant: { ...fromWire(r.data), key } };
}

/** Parses a refusal's content; never throws. */
export function parseKeyRefusal(content: unknown): ParseResult<'refusal', KeyRefusal> {
  const r = keyRefusalSchema.safeParse(content);
  return r.success
    ? { ok: true, refusal: { ...fromWire(r.data), reason: r.data.reason } }
    : { ok: false, errors: issuesToErrors(r.error.issues) };
}

/** What a granter knows when it decides on a request (gathered by the adapter). */
export interface GrantFacts {
  request: KeyRequest;
  /** The request's sender as the Olm layer authenticated it. */
  requester: {
    userId: string;
    /** The sending device is in the user's device list (signed by the device's own key). */
    deviceKnown: boolean;
    /** The user has published a cross-signing identity. */
    hasIdentity: boolean;
    /** The device is signed by that identity. */
    crossSigned: boolean;
  };
  /**
   * The requested event as the granter decrypted it, or undefined if it cannot. `inWorkRoom`: a
   * message in a unit's work room (工作群), served to members who had joined before it was sent.
   */
  event?: { sessionId: string; isCircular: boolean; inWorkRoom?: boolean };
  /**
   * The granter saw an earlier event of the same session before the requester's join: the session
   * would open messages sent before they joined.
   */
  sessionPredatesJoin?: boolean;
  /** The requester's membership in the room just before the event (undefined: never a member). */
  membershipBefore?: string;
}

/** A granter's decision. `silent`: no answer (another granter may hold the session). */
export type GrantDecision =
  { kind: 'grant' } | { kind: 'refuse'; reason: RefusalReason } | { kind: 'silent'; why: string };

/**
 * The granter's rules, in order: the device must be the user's (known, and cross-signed once the
 * user has an identity); the event must be one the granter can decrypt, encrypted with the
 * requested session, and a circular or a work-room message; the requester must have been joined
 * just before it, and the session must not reach back before their join.
 */
export function decideGrant(f: GrantFacts): GrantDecision {
  if (!f.requester.deviceKnown) return { kind: 'silent', why: 'unknown device' };
  if (f.requester.hasIdentity && !f.requester.crossSigned)
    return { kind: 'refuse', reason: 'unverified_device' };
  if (!f.event) return { kind: 'silent', why: 'session not held' };
  if (f.event.sessionId !== f.request.sessionId)
    return { kind: 'refuse', reason: 'session_mismatch' };
  if (!f.event.isCircular && !f.event.inWorkRoom) return { kind: 'refuse', reason: 'not_circular' };
  if (f.membershipBefore !== 'join' || f.sessionPredatesJoin)
    return { kind: 'refuse', reason: 'not_recipient' };
  return { kind: 'grant' };
}

/** What a recipient knows when a grant arrives. */
export interface AcceptFacts {
  grant: KeyGrant;
  /** The grant's sender as the Olm layer authenticated it. */
  granter: {
    userId: string;
    /** The sending device is in the granter's device list. */
    deviceKnown: boolean;
    /** The granter may hold the room's keys: an issuer of the room, or the configured custodian. */
    entitled: boolean;
  };
  /** This device asked for exactly this room, event and session under this request id. */
  asked: boolean;
  /** The `sender_key` of the encrypted event, when its content carries one. */
  eventSenderKey?: string;
}

/** Whether a recipient imports a grant; the reason when not. */
export function acceptGrant(f: AcceptFacts): { ok: true } | { ok: false; why: string } {
  if (!f.asked) return { ok: false, why: 'not requested by this device' };
  if (!f.granter.deviceKnown) return { ok: false, why: 'unknown granter device' };
  if (!f.granter.entitled) return { ok: false, why: `${f.granter.userId} may not grant keys here` };
  if (f.eventSenderKey && f.eventSenderKey !== f.grant.key.sender_key)
    return { ok: false, why: 'key was not created by the event sender’s device' };
  return { ok: true };
}
