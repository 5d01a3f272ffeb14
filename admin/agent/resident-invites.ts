/**
 * The org agent's half of residents' invitations (docs/mobile-and-residents.md):
 *
 * - invitation requests from a community's grid workers and unit admins (`cn.hongyan.invite_request`
 *   in the unit Space): a new invitation is a Synapse registration token with the request's uses and
 *   expiry, recorded as `cn.hongyan.resident_invite` in the Space; revoking deletes the token;
 * - join requests from residents (`cn.hongyan.resident_join` to-device): the sender presents the
 *   token; if its invitation is still good the agent joins them to that community's residents' rooms
 *   (never the Space or staff rooms), counts the use, and answers to-device.
 *
 * Tokens are secrets: they never appear in the agent's log lines or in the errors it raises.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  ADMIN_RESULT_EVENT,
  RESIDENT_INVITE_EVENT,
  RESIDENT_JOIN_RESULT_EVENT,
  UNIT_MEMBER_STATE_EVENT,
} from '../../shared/matrix-types';
import type { AdminErrorCode, AdminResultContent } from '../../shared/org/admin-requests';
import { roomAliasLocalpart, unitMemberStateKey } from '../../shared/org/matrix-mapping';
import type { ManagedRoomKind } from '../../shared/org/matrix-mapping';
import type { UnitRole } from '../../shared/org/types';
import { makeInviteToken } from '../../shared/residents/invite-link';
import type { Digest, InviteDescriptor } from '../../shared/residents/invite-link';
import {
  INVITING_ROLES,
  inviteStatus,
  parseInviteRecord,
  parseInviteRequest,
  parseJoinRequest,
} from '../../shared/residents/invites';
import type {
  JoinRefusal,
  ResidentInviteRecord,
  ResidentJoinResult,
} from '../../shared/residents/invites';
import type { AdminIdentity } from '../snapshot-reader';
import { MatrixApiError, seg } from '../synapse-client';
import type { SynapseClient } from '../synapse-client';

/** SHA-256 through node:crypto, for the token's binding digest. */
export const nodeDigest: Digest = (text) =>
  Promise.resolve(new Uint8Array(createHash('sha256').update(text, 'utf8').digest()));

/** Refused join attempts one account may make in {@link REFUSAL_WINDOW_MS} before it must wait. */
const MAX_REFUSALS = 5;
const REFUSAL_WINDOW_MS = 10 * 60_000;

/** An invitation request found in a Space. */
export interface PendingInviteRequest {
  roomId: string;
  requestId: string;
  eventId: string;
  sender: string;
  content: unknown;
}

/** A Space as the agent tracks it. */
export interface InviteSpace {
  unitCode?: string;
  unitName?: string;
  /** Invitation records by id. */
  invites: Map<string, unknown>;
}

class Refused extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const REGISTRATION_TOKENS = '/_synapse/admin/v1/registration_tokens';

/** Runs a registration-token API call; errors name the status, never the token in the path. */
async function tokenApi<T>(
  client: SynapseClient,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  token: string | undefined,
  body?: unknown,
): Promise<T | undefined> {
  const path =
    token === undefined ? `${REGISTRATION_TOKENS}/new` : `${REGISTRATION_TOKENS}/${seg(token)}`;
  try {
    return await client.request<T>(method, path, body === undefined ? {} : { body });
  } catch (err) {
    if (err instanceof MatrixApiError) {
      if (err.status === 404) return undefined;
      throw new MatrixApiError(
        method,
        REGISTRATION_TOKENS,
        err.status,
        err.errcode,
        err.serverMessage,
      );
    }
    throw err;
  }
}

/** Handles invitation requests and residents' join requests for one agent. */
export class ResidentInvites {
  private readonly refusals = new Map<string, number[]>();

  constructor(
    private readonly opts: {
      client: SynapseClient;
      identity: AdminIdentity;
      spaces: ReadonlyMap<string, InviteSpace>;
      log: (line: string) => void;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  private async putState(
    roomId: string,
    type: string,
    key: string,
    content: object,
  ): Promise<void> {
    await this.opts.client.request(
      'PUT',
      `/_matrix/client/v3/rooms/${seg(roomId)}/state/${seg(type)}/${seg(key)}`,
      { body: content },
    );
  }

  /** The room behind a managed alias of this server, or undefined. */
  private async roomOf(unitCode: string, kind: ManagedRoomKind): Promise<string | undefined> {
    const alias = `#${roomAliasLocalpart(unitCode, kind)}:${this.opts.identity.serverName}`;
    try {
      const res = await this.opts.client.get<{ room_id: string }>(
        `/_matrix/client/v3/directory/room/${seg(alias)}`,
      );
      return res.room_id;
    } catch (err) {
      if (err instanceof MatrixApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Roles of a user in the unit whose Space this is, from its `cn.hongyan.unit_member` record. */
  private async rolesIn(spaceId: string, userId: string): Promise<UnitRole[]> {
    try {
      const content = await this.opts.client.get<{ roles?: unknown }>(
        `/_matrix/client/v3/rooms/${seg(spaceId)}/state/${seg(UNIT_MEMBER_STATE_EVENT)}/${seg(unitMemberStateKey(userId))}`,
      );
      return Array.isArray(content.roles) ? (content.roles as UnitRole[]) : [];
    } catch (err) {
      if (err instanceof MatrixApiError && err.status === 404) return [];
      throw err;
    }
  }

  /**
   * Answers one invitation request with a `cn.hongyan.admin_result` under its key. Throws only for
   * a server failure (the caller retries on a later sync).
   */
  async handleRequest(req: PendingInviteRequest): Promise<AdminResultContent> {
    let result: AdminResultContent;
    try {
      result = {
        status: 'ok',
        message: await this.execute(req),
        requestEventId: req.eventId,
      };
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      result = {
        status: 'error',
        code: err.code,
        message: err.message,
        requestEventId: req.eventId,
      };
    }
    await this.putState(req.roomId, ADMIN_RESULT_EVENT, req.requestId, result);
    return result;
  }

  private async execute(req: PendingInviteRequest): Promise<string> {
    const parsed = parseInviteRequest(req.content);
    if (!parsed.ok) throw new Refused('malformed', parsed.error);
    const space = this.opts.spaces.get(req.roomId);
    const unitCode = space?.unitCode;
    // Only the unit's real Space counts: the one its managed alias names.
    if (!space || unitCode === undefined || (await this.roomOf(unitCode, 'space')) !== req.roomId)
      throw new Refused('unknown-unit', `room ${req.roomId} is not a unit Space`);
    const roles = await this.rolesIn(req.roomId, req.sender);
    if (!roles.some((r) => INVITING_ROLES.includes(r)))
      throw new Refused(
        'not-unit-admin',
        `${req.sender} is not a grid worker or unit admin of ${unitCode}`,
      );
    const request = parsed.request;
    if (request.action === 'revoke-invite') {
      const record = parseInviteRecord(space.invites.get(request.inviteId));
      if (!record)
        throw new Refused('unknown-unit', `no invitation ${request.inviteId} in ${unitCode}`);
      if (record.revokedAt === undefined) {
        await tokenApi(this.opts.client, 'DELETE', record.token);
        const revoked: ResidentInviteRecord = { ...record, revokedAt: this.now() };
        await this.putState(req.roomId, RESIDENT_INVITE_EVENT, request.inviteId, revoked);
        space.invites.set(request.inviteId, revoked);
      }
      return `invitation ${request.inviteId} revoked`;
    }
    if (
      (await this.roomOf(unitCode, 'residents')) === undefined ||
      (await this.roomOf(unitCode, 'residents_notice')) === undefined
    )
      throw new Refused(
        'unknown-unit',
        `${unitCode} has no residents' rooms; the org spec must give it rooms.residents`,
      );
    const profile = await this.opts.client.get<{ displayname?: string }>(
      `/_synapse/admin/v2/users/${seg(req.sender)}`,
    );
    const now = this.now();
    const descriptor: InviteDescriptor = {
      unitCode,
      unitName: space.unitName ?? unitCode,
      contact: profile.displayname?.trim() || req.sender,
      expiresAt: now + request.validHours * 3_600_000,
      agent: this.opts.identity.adminUserId,
    };
    const token = await makeInviteToken(
      descriptor,
      randomBytes(24).toString('base64url'),
      nodeDigest,
    );
    await tokenApi(this.opts.client, 'POST', undefined, {
      token,
      uses_allowed: request.usesAllowed,
      expiry_time: descriptor.expiresAt,
    });
    const inviteId = `inv-${randomBytes(9).toString('base64url')}`;
    const record: ResidentInviteRecord = {
      ...descriptor,
      token,
      usesAllowed: request.usesAllowed,
      joinedCount: 0,
      createdBy: req.sender,
      createdAt: now,
    };
    await this.putState(req.roomId, RESIDENT_INVITE_EVENT, inviteId, record);
    space.invites.set(inviteId, record);
    return `invitation ${inviteId} created`;
  }

  /** Handles one `cn.hongyan.resident_join` to-device event; answers the sender to-device. */
  async handleJoin(sender: string, content: unknown): Promise<ResidentJoinResult | undefined> {
    const request = parseJoinRequest(content);
    if (!request) return undefined;
    const result = await this.join(sender, request.token);
    if (result.status === 'error') {
      this.opts.log(`resident join by ${sender} refused: ${result.code}`);
      if (result.code !== 'rate-limited') this.noteRefusal(sender);
    } else this.opts.log(`resident ${sender} joined ${result.unitCode}`);
    await this.opts.client.request(
      'PUT',
      `/_matrix/client/v3/sendToDevice/${seg(RESIDENT_JOIN_RESULT_EVENT)}/${randomBytes(12).toString('hex')}`,
      { body: { messages: { [sender]: { '*': result } } } },
    );
    return result;
  }

  private noteRefusal(sender: string): void {
    const since = this.now() - REFUSAL_WINDOW_MS;
    this.refusals.set(sender, [
      ...(this.refusals.get(sender) ?? []).filter((t) => t > since),
      this.now(),
    ]);
  }

  private async join(sender: string, token: string): Promise<ResidentJoinResult> {
    const since = this.now() - REFUSAL_WINDOW_MS;
    if ((this.refusals.get(sender) ?? []).filter((t) => t > since).length >= MAX_REFUSALS)
      return { status: 'error', token, code: 'rate-limited' };
    const found = this.findInvite(token);
    if (!found) return { status: 'error', token, code: 'unknown' };
    const { spaceId, inviteId, record } = found;
    const refuse = (code: JoinRefusal): ResidentJoinResult => ({
      status: 'error',
      token,
      code,
      contact: record.contact,
      unitName: record.unitName,
    });
    const roomIds = [
      await this.roomOf(record.unitCode, 'residents'),
      await this.roomOf(record.unitCode, 'residents_notice'),
    ].filter((id): id is string => id !== undefined);
    if (roomIds.length < 2) return refuse('revoked');
    const ok: ResidentJoinResult = {
      status: 'ok',
      token,
      unitCode: record.unitCode,
      unitName: record.unitName,
      roomIds,
    };
    // A resident asking again (a retry, a second device) is already in: no second use.
    if (await this.isJoined(roomIds, sender)) return ok;
    const status = inviteStatus(record, this.now());
    if (status !== 'active') return refuse(status);
    const synapse = await tokenApi<{ completed: number }>(this.opts.client, 'GET', token);
    if (!synapse) return refuse('revoked');
    for (const roomId of roomIds)
      await this.opts.client.request('POST', `/_synapse/admin/v1/join/${seg(roomId)}`, {
        body: { user_id: sender },
      });
    const joinedCount = record.joinedCount + 1;
    const next: ResidentInviteRecord = { ...record, joinedCount };
    await this.putState(spaceId, RESIDENT_INVITE_EVENT, inviteId, next);
    this.opts.spaces.get(spaceId)?.invites.set(inviteId, next);
    // Residents who sign in with an existing account use up the invitation without registering, so
    // Synapse is left as many further registrations as the invitation has places left.
    await tokenApi(this.opts.client, 'PUT', token, {
      uses_allowed: synapse.completed + Math.max(0, record.usesAllowed - joinedCount),
    });
    return ok;
  }

  private async isJoined(roomIds: string[], userId: string): Promise<boolean> {
    for (const roomId of roomIds) {
      try {
        const m = await this.opts.client.get<{ membership?: string }>(
          `/_matrix/client/v3/rooms/${seg(roomId)}/state/m.room.member/${seg(userId)}`,
        );
        if (m.membership !== 'join') return false;
      } catch (err) {
        if (err instanceof MatrixApiError && err.status === 404) return false;
        throw err;
      }
    }
    return true;
  }

  private findInvite(
    token: string,
  ): { spaceId: string; inviteId: string; record: ResidentInviteRecord } | undefined {
    for (const [spaceId, space] of this.opts.spaces) {
      for (const [inviteId, content] of space.invites) {
        const record = parseInviteRecord(content);
        if (record?.token === token && record.unitCode === space.unitCode)
          return { spaceId, inviteId, record };
      }
    }
    return undefined;
  }
}
