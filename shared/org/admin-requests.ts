/**
 * Admin requests: the changes a unit admin asks the org agent for, sent as `cn.hongyan.admin_request`
 * state events in the admin's unit Space (see docs/org-admin.md). This module parses request
 * content, checks that a request stays inside the requester's subtree, and turns it into an edit of
 * the org spec that the agent then applies with the provisioning code. Pure: no I/O.
 */
import { z } from '../circular/zod';
import { buildOrgTree, subtreeCodes, unitRecordsOfSpec } from './org-tree';
import type { OrgSpec, SpecUser } from './spec-types';
import { UNIT_LEVELS, UNIT_ROLES } from './types';
import type { UnitRole } from './types';

/** An initial password sealed to the org agent's public key (RSA-OAEP with SHA-256), base64. */
export interface SealedSecret {
  alg: 'RSA-OAEP-256';
  /** Identifies the agent key it was sealed to, so a stale key gives a clear error. */
  keyId: string;
  ciphertext: string;
}

/** The org agent's public key, as published in unit Spaces (`cn.hongyan.admin_agent`). */
export interface AgentKeyContent {
  alg: 'RSA-OAEP-256';
  keyId: string;
  /** Public key as a JWK (`kty`, `n`, `e`), importable by WebCrypto. */
  publicKey: { kty: string; n: string; e: string };
}

/** Reads a published agent key; undefined when absent or malformed. */
export function parseAgentKey(content: unknown): AgentKeyContent | undefined {
  if (typeof content !== 'object' || content === null) return undefined;
  const c = content as Record<string, unknown>;
  const k = c.publicKey as Record<string, unknown> | undefined;
  if (
    c.alg !== 'RSA-OAEP-256' ||
    typeof c.keyId !== 'string' ||
    typeof k !== 'object' ||
    k === null
  )
    return undefined;
  if (k.kty !== 'RSA' || typeof k.n !== 'string' || typeof k.e !== 'string') return undefined;
  return { alg: 'RSA-OAEP-256', keyId: c.keyId, publicKey: { kty: 'RSA', n: k.n, e: k.e } };
}

const username = z
  .string()
  .regex(/^[a-z0-9._=-]{1,64}$/, 'use 1–64 lower-case ASCII letters, digits or . _ = -');
const unitCode = z
  .string()
  .regex(/^[a-z0-9_-]{1,64}$/, 'use 1–64 lower-case ASCII letters, digits, - or _');
const userId = z.string().regex(/^@[^:\s]+:\S+$/, 'must be a Matrix user ID like @name:server');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const roles = z.array(z.enum(UNIT_ROLES)).min(1, 'name at least one role');
const sealed = z.object({
  alg: z.literal('RSA-OAEP-256'),
  keyId: z.string().min(1),
  ciphertext: z.string().min(1).max(4096),
});

/** Schema of a request's content; the `action` field selects the variant. */
export const ADMIN_REQUEST_SCHEMA = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('create-user'),
    username,
    displayName: text(64),
    unitCode,
    position: text(64).optional(),
    roles: roles.optional(),
    sealedPassword: sealed,
  }),
  z.object({
    action: z.literal('move-user'),
    userId,
    toUnitCode: unitCode,
    position: text(64).optional(),
    roles: roles.optional(),
  }),
  z.object({ action: z.literal('deactivate-user'), userId }),
  z.object({ action: z.literal('set-roles'), userId, roles, position: text(64).optional() }),
  z.object({
    action: z.literal('add-unit'),
    code: unitCode,
    name: text(64),
    level: z.enum(UNIT_LEVELS),
    parentCode: unitCode,
  }),
  z.object({
    action: z.literal('add-department'),
    unitCode,
    slug: z.string().regex(/^[a-z0-9-]{1,32}$/, 'use 1–32 lower-case ASCII letters, digits or -'),
    name: text(64),
  }),
]);

/** One admin request, as parsed from its event content. */
export type AdminRequest = z.infer<typeof ADMIN_REQUEST_SCHEMA>;
/** The kinds of request. */
export type AdminAction = AdminRequest['action'];

/** Why a request was refused or failed, for the app to explain in the user's language. */
export const ADMIN_ERROR_CODES = [
  'malformed',
  'not-unit-admin',
  'unknown-unit',
  'unknown-user',
  'outside-subtree',
  'already-exists',
  'self-deactivation',
  'invalid-org',
  'inconsistent-org',
  'stale-key',
  'protected-account',
  'rate-limited',
  'server-refused',
  'failed',
] as const;
export type AdminErrorCode = (typeof ADMIN_ERROR_CODES)[number];

/** A refusal: its kind and a message naming what is wrong. */
export interface AdminRefusal {
  code: AdminErrorCode;
  message: string;
}

const refuse = (code: AdminErrorCode, message: string): AdminRefusal => ({ code, message });

/** Content of `cn.hongyan.admin_result`, written by the agent under the request's state key. */
export interface AdminResultContent {
  status: 'ok' | 'error';
  /** What was done, or what is wrong with the request. */
  message: string;
  /** Errors only: the kind of problem. */
  code?: AdminErrorCode;
  /** Event ID of the request this answers (a re-sent request under the same key is not re-run). */
  requestEventId?: string;
}

/** One request in a Space, as the admin view lists it. */
export interface AdminRequestRecord {
  spaceId: string;
  requestId: string;
  sender: string;
  sentAt: number;
  /** The parsed request, or undefined when its content is malformed. */
  request?: AdminRequest;
  /** The agent's answer; undefined while pending. */
  result?: AdminResultContent;
  /** The agent redacted the request after answering it (it carried a sealed initial password). */
  redacted?: true;
}

/** Parses request content, naming the first offending field when it is malformed. */
export function parseAdminRequest(
  content: unknown,
): { ok: true; request: AdminRequest } | { ok: false; error: string } {
  const parsed = ADMIN_REQUEST_SCHEMA.safeParse(content);
  if (parsed.success) return { ok: true, request: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'content';
  return { ok: false, error: `malformed request: ${field}: ${issue?.message ?? 'invalid'}` };
}

/** Parses result content; undefined when it is not a result. */
export function parseAdminResult(content: unknown): AdminResultContent | undefined {
  if (typeof content !== 'object' || content === null) return undefined;
  const c = content as Record<string, unknown>;
  if ((c.status !== 'ok' && c.status !== 'error') || typeof c.message !== 'string')
    return undefined;
  const code = ADMIN_ERROR_CODES.find((k) => k === c.code);
  return {
    status: c.status,
    message: c.message,
    ...(code ? { code } : {}),
    ...(typeof c.requestEventId === 'string' ? { requestEventId: c.requestEventId } : {}),
  };
}

/** The localpart of a user ID on `serverName`, or undefined for a user of another server. */
export function localpartOn(userIdValue: string, serverName: string): string | undefined {
  const suffix = `:${serverName}`;
  return userIdValue.startsWith('@') && userIdValue.endsWith(suffix)
    ? userIdValue.slice(1, -suffix.length)
    : undefined;
}

/** Inputs of {@link checkAdminRequest}. */
export interface CheckAdminRequestInput {
  /** The org as it stands (exported from the server). */
  spec: OrgSpec;
  serverName: string;
  /** Sender of the request event. */
  requesterId: string;
  /** Unit of the Space the request was sent in. */
  spaceUnitCode: string;
  request: AdminRequest;
}

function findUser(spec: OrgSpec, serverName: string, id: string): SpecUser | undefined {
  const name = localpartOn(id, serverName);
  return name === undefined ? undefined : spec.users.find((u) => u.username === name);
}

/**
 * Checks who may do what: the requester must be a unit admin of the Space's unit, and every unit
 * and user the request touches must lie in that unit's subtree (a county's admin cannot act on
 * another county). Returns the refusal, or undefined when allowed.
 */
export function checkAdminRequest(input: CheckAdminRequestInput): AdminRefusal | undefined {
  const { spec, serverName, requesterId, spaceUnitCode, request } = input;
  const tree = buildOrgTree(unitRecordsOfSpec(spec.units));
  if (!tree.byCode.has(spaceUnitCode))
    return refuse('unknown-unit', `unknown unit ${spaceUnitCode}`);
  const requester = findUser(spec, serverName, requesterId);
  if (requester?.unit !== spaceUnitCode || !(requester.roles ?? []).includes('unit_admin'))
    return refuse('not-unit-admin', `${requesterId} is not a unit admin of ${spaceUnitCode}`);
  const scope = new Set(subtreeCodes(tree, spaceUnitCode));
  const unitInScope = (code: string, what: string): AdminRefusal | undefined => {
    if (!tree.byCode.has(code)) return refuse('unknown-unit', `unknown unit ${code} (${what})`);
    return scope.has(code)
      ? undefined
      : refuse('outside-subtree', `unit ${code} (${what}) is outside ${spaceUnitCode}'s subtree`);
  };
  const userInScope = (id: string): AdminRefusal | undefined => {
    const user = findUser(spec, serverName, id);
    if (!user) return refuse('unknown-user', `unknown user ${id}: not a member of any unit`);
    return scope.has(user.unit)
      ? undefined
      : refuse('outside-subtree', `user ${id} is outside ${spaceUnitCode}'s subtree`);
  };
  switch (request.action) {
    case 'create-user':
      if (spec.users.some((u) => u.username === request.username))
        return refuse('already-exists', `user @${request.username}:${serverName} already exists`);
      return unitInScope(request.unitCode, 'unitCode');
    case 'move-user':
      return userInScope(request.userId) ?? unitInScope(request.toUnitCode, 'toUnitCode');
    case 'deactivate-user':
      if (request.userId === requesterId)
        return refuse('self-deactivation', 'a unit admin cannot deactivate their own account');
      return userInScope(request.userId);
    case 'set-roles':
      return userInScope(request.userId);
    case 'add-unit':
      if (tree.byCode.has(request.code))
        return refuse('already-exists', `unit ${request.code} already exists`);
      return unitInScope(request.parentCode, 'parentCode');
    case 'add-department': {
      const err = unitInScope(request.unitCode, 'unitCode');
      if (err) return err;
      const unit = spec.units.find((u) => u.code === request.unitCode);
      return unit?.rooms?.departments?.some((d) => d.slug === request.slug)
        ? refuse(
            'already-exists',
            `unit ${request.unitCode} already has a department room ${request.slug}`,
          )
        : undefined;
    }
  }
}

const withRoles = (r: readonly UnitRole[] | undefined): UnitRole[] =>
  r && r.length > 0 ? [...r] : ['member'];

/**
 * The spec after the request, for the provisioning code to apply. A deactivated user leaves the
 * spec; the agent deactivates the account itself. Call after {@link checkAdminRequest} passed.
 */
export function applyAdminRequest(
  spec: OrgSpec,
  request: AdminRequest,
  serverName: string,
): OrgSpec {
  const editUser = (id: string, edit: (u: SpecUser) => SpecUser): SpecUser[] => {
    const name = localpartOn(id, serverName);
    return spec.users.map((u) => (u.username === name ? edit(u) : u));
  };
  switch (request.action) {
    case 'create-user':
      return {
        ...spec,
        users: [
          ...spec.users,
          {
            username: request.username,
            displayName: request.displayName,
            unit: request.unitCode,
            roles: withRoles(request.roles),
            ...(request.position ? { position: request.position } : {}),
          },
        ],
      };
    case 'move-user':
      return {
        ...spec,
        // Roles belong to a unit, not a person: they restart at member unless the request names them.
        users: editUser(request.userId, (u) => ({
          ...u,
          unit: request.toUnitCode,
          roles: withRoles(request.roles),
          ...(request.position ? { position: request.position } : {}),
        })),
      };
    case 'deactivate-user': {
      const name = localpartOn(request.userId, serverName);
      return { ...spec, users: spec.users.filter((u) => u.username !== name) };
    }
    case 'set-roles':
      return {
        ...spec,
        users: editUser(request.userId, (u) => ({
          ...u,
          roles: withRoles(request.roles),
          ...(request.position ? { position: request.position } : {}),
        })),
      };
    case 'add-unit':
      return {
        ...spec,
        units: [
          ...spec.units,
          {
            code: request.code,
            name: request.name,
            level: request.level,
            parent: request.parentCode,
          },
        ],
      };
    case 'add-department':
      return {
        ...spec,
        units: spec.units.map((u) =>
          u.code !== request.unitCode
            ? u
            : {
                ...u,
                rooms: {
                  ...u.rooms,
                  departments: [
                    ...(u.rooms?.departments ?? []),
                    { slug: request.slug, name: request.name },
                  ],
                },
              },
        ),
      };
  }
}

/** A short human summary of a request, for logs and the app's request list. */
export function describeAdminRequest(request: AdminRequest): string {
  switch (request.action) {
    case 'create-user':
      return `create user ${request.username} (${request.displayName}) in ${request.unitCode}`;
    case 'move-user':
      return `move ${request.userId} to ${request.toUnitCode}`;
    case 'deactivate-user':
      return `deactivate ${request.userId}`;
    case 'set-roles':
      return `set roles of ${request.userId} to ${request.roles.join(', ')}`;
    case 'add-unit':
      return `add unit ${request.code} (${request.name}) under ${request.parentCode}`;
    case 'add-department':
      return `add department room ${request.slug} (${request.name}) to ${request.unitCode}`;
  }
}
