/**
 * Carries out one admin request: reads the org from the server as a spec, checks the request against
 * it (requester is a unit admin of the Space's unit, targets inside that subtree), edits the spec and
 * applies it with the provisioning code, so a unit added here gets exactly the rooms, join rules and
 * power levels a spec apply would give it.
 */
import {
  applyAdminRequest,
  checkAdminRequest,
  describeAdminRequest,
  parseAdminRequest,
} from '../../shared/org/admin-requests';
import type {
  AdminErrorCode,
  AdminRequest,
  AdminResultContent,
} from '../../shared/org/admin-requests';
import { exportOrgSpec } from '../../shared/org/export-spec';
import { orgIntegrityProblems } from '../../shared/org/org-integrity';
import { indexRoom } from '../../shared/org/snapshot';
import type { OrgSnapshot } from '../../shared/org/snapshot';
import { locatorWithoutLines } from '../../shared/org/spec-source';
import type { OrgSpec } from '../../shared/org/spec-types';
import { formatSpecError } from '../../shared/org/spec-types';
import { validateOrgSpec } from '../../shared/org/spec-validate';
import { applyOrgSpec, OrgConflictError } from '../apply';
import { readSnapshot } from '../snapshot-reader';
import type { AdminIdentity } from '../snapshot-reader';
import { MatrixApiError, seg } from '../synapse-client';
import type { SynapseClient } from '../synapse-client';
import { deprovisionUser, moveUser } from '../user-lifecycle';
import { createAccountWithInitialPassword } from '../initial-password';
import { PuppetTokens } from '../puppet-tokens';
import type { AgentKey } from './agent-key';

/** One request as found in a Space's state. */
export interface PendingRequest {
  roomId: string;
  /** The state key: the request id. */
  requestId: string;
  eventId: string;
  sender: string;
  content: unknown;
}

/** Everything a request needs to run. */
export interface RunRequestContext {
  client: SynapseClient;
  identity: AdminIdentity;
  homeserverUrl: string;
  adminToken: string;
  key: AgentKey;
  signal?: AbortSignal;
}

/** A refusal whose message is meant for the requester. */
class RequestRefused extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Runs a request and says how it went; never throws for a bad request, only for a lost server. */
export async function runAdminRequest(
  ctx: RunRequestContext,
  pending: PendingRequest,
): Promise<AdminResultContent> {
  const failure = (code: AdminErrorCode, message: string): AdminResultContent => ({
    status: 'error',
    code,
    message,
    requestEventId: pending.eventId,
  });
  const parsed = parseAdminRequest(pending.content);
  if (!parsed.ok) return failure('malformed', parsed.error);
  try {
    const message = await execute(ctx, pending, parsed.request);
    return { status: 'ok', message, requestEventId: pending.eventId };
  } catch (err) {
    if (err instanceof RequestRefused) return failure(err.code, err.message);
    if (err instanceof OrgConflictError) return failure('inconsistent-org', err.message);
    if (err instanceof MatrixApiError && err.status < 500)
      return failure(
        'server-refused',
        `the homeserver refused: ${err.errcode ?? err.status} ${err.serverMessage}`.trim(),
      );
    throw err;
  }
}

async function execute(
  ctx: RunRequestContext,
  pending: PendingRequest,
  request: AdminRequest,
): Promise<string> {
  const { client, identity } = ctx;
  const snapshot = await readSnapshot({
    client,
    identity,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const problems = orgIntegrityProblems(snapshot);
  if (problems.length > 0)
    throw new RequestRefused(
      'inconsistent-org',
      `the org on the server is inconsistent (${problems.join('; ')}); requests wait until an administrator fixes it`,
    );
  const space = snapshot.rooms.map(indexRoom).find((r) => r.roomId === pending.roomId);
  if (!space?.unit || space.roomType !== 'm.space')
    throw new RequestRefused('unknown-unit', `room ${pending.roomId} is not a unit Space`);
  const spec = exportOrgSpec(snapshot);
  const refusal = checkAdminRequest({
    spec,
    serverName: identity.serverName,
    requesterId: pending.sender,
    spaceUnitCode: space.unit.code,
    request,
  });
  if (refusal) throw new RequestRefused(refusal.code, refusal.message);
  const next = applyAdminRequest(spec, request, identity.serverName);
  const validation = validateOrgSpec({
    data: next,
    locate: locatorWithoutLines('admin request'),
    errors: [],
  });
  if (!validation.ok)
    throw new RequestRefused('invalid-org', validation.errors.map(formatSpecError).join('; '));

  await refuseServerAdminTarget(client, request);
  const conn = {
    homeserverUrl: ctx.homeserverUrl,
    adminToken: ctx.adminToken,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
  switch (request.action) {
    case 'move-user':
      await moveUser({
        ...conn,
        user: request.userId,
        to: request.toUnitCode,
        ...(request.roles ? { roles: request.roles } : {}),
        ...(request.position ? { position: request.position } : {}),
      });
      break;
    case 'deactivate-user':
      if (request.userId === identity.adminUserId)
        throw new RequestRefused(
          'not-unit-admin',
          'the provisioning account cannot be deactivated',
        );
      await deprovisionUser({ ...conn, user: request.userId });
      // The apply drops the leaver from power levels; the unit record is already gone.
      await apply(ctx, validation.spec);
      break;
    case 'create-user':
      await createAccount(ctx, snapshot, request);
      await apply(ctx, validation.spec);
      break;
    default:
      await apply(ctx, validation.spec);
  }
  return `done: ${describeAdminRequest(request)}`;
}

async function apply(ctx: RunRequestContext, spec: OrgSpec): Promise<void> {
  await applyOrgSpec({
    homeserverUrl: ctx.homeserverUrl,
    adminToken: ctx.adminToken,
    spec,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
}

/**
 * Server-admin accounts (the provisioning account, the operators') are outside every unit admin's
 * reach, whatever the org says: moving one into a unit, changing its roles or deactivating it is
 * the system administrator's work, done with the admin CLI.
 */
async function refuseServerAdminTarget(
  client: SynapseClient,
  request: AdminRequest,
): Promise<void> {
  if (!('userId' in request)) return;
  let info: { admin?: boolean | number };
  try {
    info = await client.get(`/_synapse/admin/v2/users/${seg(request.userId)}`);
  } catch (err) {
    // An unknown user was refused by the subtree check already; anything else is the server's.
    if (err instanceof MatrixApiError && err.status === 404) return;
    throw err;
  }
  if (info.admin)
    throw new RequestRefused(
      'protected-account',
      `${request.userId} is a server administrator; the org agent never acts on server-admin accounts`,
    );
}

/** Creates the account with the sealed initial password; the org apply then places it in its unit. */
async function createAccount(
  ctx: RunRequestContext,
  snapshot: OrgSnapshot,
  request: Extract<AdminRequest, { action: 'create-user' }>,
): Promise<void> {
  const userId = `@${request.username}:${ctx.identity.serverName}`;
  // An account outside the org (not deactivated, not placed in a unit) must not be claimable by a
  // unit admin: taking it over would hand them someone else's login.
  if (snapshot.users.some((u) => u.userId === userId))
    throw new RequestRefused('already-exists', `user ${userId} already exists on the server`);
  let password: string;
  try {
    password = ctx.key.open(request.sealedPassword);
  } catch (err) {
    throw new RequestRefused('stale-key', (err as Error).message);
  }
  if (password.length < 8)
    throw new RequestRefused('malformed', 'the initial password is shorter than 8 characters');
  // The token taken to mark the password as initial is revoked at once: the agent keeps none.
  const puppets = new PuppetTokens(ctx.client);
  try {
    await createAccountWithInitialPassword({
      client: ctx.client,
      puppets,
      userId,
      password,
      displayName: request.displayName,
    });
  } finally {
    await puppets.revokeAll();
  }
}
