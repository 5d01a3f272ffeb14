/**
 * Residents' invitations as they live in a community's unit Space: the requests grid workers and
 * unit admins send (`cn.hongyan.invite_request`), the records the org agent keeps
 * (`cn.hongyan.resident_invite`), and the answers a resident's client gets after asking to join.
 * Pure: parsing, limits and status; the agent does the I/O (docs/mobile-and-residents.md).
 */
import { z } from '../circular/zod';
import type { UnitRole } from '../org/types';
import type { InviteDescriptor } from './invite-link';

/** Most residents one invitation may admit, and its longest life (30 days). */
export const MAX_INVITE_USES = 1000;
export const MAX_INVITE_HOURS = 24 * 30;

/** Roles that may invite residents into their community's rooms. */
export const INVITING_ROLES: readonly UnitRole[] = ['grid_worker', 'unit_admin'];

/** Schema of an invitation request; `action` selects the variant. */
export const INVITE_REQUEST_SCHEMA = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('create-invite'),
    usesAllowed: z.number().int().min(1).max(MAX_INVITE_USES),
    validHours: z.number().int().min(1).max(MAX_INVITE_HOURS),
  }),
  z.object({
    action: z.literal('revoke-invite'),
    inviteId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an invitation id'),
  }),
]);
export type InviteRequest = z.infer<typeof INVITE_REQUEST_SCHEMA>;

/** Parses request content, naming the first offending field when malformed. */
export function parseInviteRequest(
  content: unknown,
): { ok: true; request: InviteRequest } | { ok: false; error: string } {
  const parsed = INVITE_REQUEST_SCHEMA.safeParse(content);
  if (parsed.success) return { ok: true, request: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'content';
  return {
    ok: false,
    error: `malformed invitation request: ${field}: ${issue?.message ?? 'invalid'}`,
  };
}

/** Content of `cn.hongyan.resident_invite` (state key: the invitation id), written by the agent. */
export interface ResidentInviteRecord extends InviteDescriptor {
  /** The registration token; the link carries it (see invite-link.ts). */
  token: string;
  usesAllowed: number;
  /** Residents the agent placed in the community's rooms with this invitation. */
  joinedCount: number;
  /** Who asked for it, and when (ms). */
  createdBy: string;
  createdAt: number;
  /** Set when revoked (ms). */
  revokedAt?: number;
}

const RECORD_SCHEMA = z.object({
  token: z.string().min(1).max(64),
  unitCode: z.string().min(1),
  unitName: z.string().min(1),
  contact: z.string().min(1),
  expiresAt: z.number().int(),
  agent: z.string().startsWith('@'),
  usesAllowed: z.number().int().min(1),
  joinedCount: z.number().int().min(0),
  createdBy: z.string(),
  createdAt: z.number().int(),
  revokedAt: z.number().int().optional(),
});

/** Reads a record; undefined when absent (e.g. emptied) or malformed. */
export function parseInviteRecord(content: unknown): ResidentInviteRecord | undefined {
  const parsed = RECORD_SCHEMA.safeParse(content);
  if (!parsed.success) return undefined;
  const { revokedAt, ...rest } = parsed.data;
  return revokedAt === undefined ? rest : { ...rest, revokedAt };
}

/** Where an invitation stands. */
export type InviteStatus = 'active' | 'expired' | 'used-up' | 'revoked';

/** The status of an invitation at `now` (revocation first, then expiry, then uses). */
export function inviteStatus(record: ResidentInviteRecord, now: number): InviteStatus {
  if (record.revokedAt !== undefined) return 'revoked';
  if (now >= record.expiresAt) return 'expired';
  if (record.joinedCount >= record.usesAllowed) return 'used-up';
  return 'active';
}

/** Why a resident's join was refused, for the client to explain in the user's language. */
export const JOIN_REFUSALS = ['unknown', 'expired', 'used-up', 'revoked', 'rate-limited'] as const;
export type JoinRefusal = (typeof JOIN_REFUSALS)[number];

/** Content of the resident's to-device join request. */
export interface ResidentJoinRequest {
  token: string;
}

/** Content of the agent's to-device answer. */
export type ResidentJoinResult =
  | { status: 'ok'; token: string; unitCode: string; unitName: string; roomIds: string[] }
  | { status: 'error'; token: string; code: JoinRefusal; contact?: string; unitName?: string };

const JOIN_REQUEST_SCHEMA = z.object({ token: z.string().min(1).max(64) });

/** Reads a join request; undefined when malformed. */
export function parseJoinRequest(content: unknown): ResidentJoinRequest | undefined {
  const parsed = JOIN_REQUEST_SCHEMA.safeParse(content);
  return parsed.success ? parsed.data : undefined;
}

const JOIN_RESULT_SCHEMA = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    token: z.string(),
    unitCode: z.string(),
    unitName: z.string(),
    roomIds: z.array(z.string()),
  }),
  z.object({
    status: z.literal('error'),
    token: z.string(),
    code: z.enum(JOIN_REFUSALS),
    contact: z.string().optional(),
    unitName: z.string().optional(),
  }),
]);

/** Reads the agent's answer; undefined when malformed. */
export function parseJoinResult(content: unknown): ResidentJoinResult | undefined {
  const parsed = JOIN_RESULT_SCHEMA.safeParse(content);
  if (!parsed.success) return undefined;
  const r = parsed.data;
  if (r.status === 'ok') return r;
  return {
    status: 'error',
    token: r.token,
    code: r.code,
    ...(r.contact !== undefined ? { contact: r.contact } : {}),
    ...(r.unitName !== undefined ? { unitName: r.unitName } : {}),
  };
}
