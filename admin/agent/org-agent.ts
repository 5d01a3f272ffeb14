/**
 * The org agent: a trusted process that syncs as the provisioning account and carries out the admin
 * requests unit admins send from the app (see docs/org-admin.md). Unit admins are not Synapse server
 * admins, so creating accounts and the like needs this agent; the server itself enforces who may
 * send a request (the unit admins' power 90 in the unit Space), and the agent enforces the subtree.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ADMIN_AGENT_EVENT,
  ADMIN_RESULT_EVENT,
  RESIDENT_JOIN_EVENT,
} from '../../shared/matrix-types';
import { whoAmI } from '../snapshot-reader';
import { seg, SynapseClient } from '../synapse-client';
import { AgentKeySource } from './agent-key';
import type { AgentKey } from './agent-key';
import { runAdminRequest } from './request-runner';
import type { PendingRequest } from './request-runner';
import type { AdminResultContent } from '../../shared/org/admin-requests';
import { agentRequestRecord } from '../audit/agent-records';
import { AuditRoom } from '../audit/audit-log';
import type { AuditLog } from '../audit/audit-log';
import { AuditObserver, type ObservedSync } from './audit-observer';
import { ResidentInvites } from './resident-invites';
import type { PendingInviteRequest } from './resident-invites';
import { AgentRooms, syncFilter, type SyncResponse } from './agent-rooms';

/** Options of {@link startOrgAgent}. */
export interface OrgAgentOptions {
  /** Base URL of the homeserver's client API. */
  homeserverUrl: string;
  /** Access token of the provisioning account (a Synapse server admin). Never logged. */
  adminToken: string;
  /** Stops the agent. */
  signal?: AbortSignal;
  /** Receives one line per event worth noting (no secrets). */
  log?: (line: string) => void;
  /** File holding the agent's private key (created, mode 0600, when missing); ephemeral when absent. */
  keyFile?: string;
  /** Long-poll timeout of each sync, in ms (default 30 s). */
  pollTimeoutMs?: number;
  /** Records every answered request; its head is anchored after each batch of requests. */
  audit?: AuditLog;
  /** Requests one person may have run per window; more are refused (default 30 per 10 minutes). */
  rateLimit?: RequesterRateLimit;
  /** The clock for invitation expiry (tests move it forward); `Date.now` by default. */
  now?: () => number;
}

/** At most `requests` requests of one requester within `windowMs`. */
export interface RequesterRateLimit {
  requests: number;
  windowMs: number;
}

const DEFAULT_RATE_LIMIT: RequesterRateLimit = { requests: 30, windowMs: 10 * 60_000 };

/** A running agent. */
export interface OrgAgent {
  /** The provisioning account the agent acts as. */
  userId: string;
  /** Resolves once the first sync has been read and the agent key published. */
  ready: Promise<void>;
  /** Stops syncing and waits for the request in progress to finish. */
  stop(): Promise<void>;
  /** Resolves when the agent stops (rejects if it stopped on an unrecoverable error). */
  done: Promise<void>;
}

/** Tries of a request that fails for a reason other than the request itself. */
const MAX_ATTEMPTS = 3;

/**
 * Starts the agent. Requests are handled one at a time, in arrival order; each is answered with a
 * `cn.hongyan.admin_result` state event under the request's state key, and a request that already
 * has a result is never run again (so a restart or a re-sent request does nothing new).
 */
export async function startOrgAgent(opts: OrgAgentOptions): Promise<OrgAgent> {
  const log = opts.log ?? (() => undefined);
  const stopper = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stopper.signal]) : stopper.signal;
  const client = new SynapseClient({ baseUrl: opts.homeserverUrl, token: opts.adminToken, signal });
  const identity = await whoAmI(client);
  const keys = await AgentKeySource.open(opts.keyFile);
  let key = await keys.current();
  const known = new AgentRooms(identity.adminUserId);
  const rooms = known.rooms;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const putState = (
    roomId: string,
    type: string,
    stateKey: string,
    content: object,
  ): Promise<unknown> =>
    client.request(
      'PUT',
      `/_matrix/client/v3/rooms/${seg(roomId)}/state/${seg(type)}/${seg(stateKey)}`,
      {
        body: content,
      },
    );

  /** Publishes the agent key in every unit Space that lacks the current one. */
  const publishKey = async (agentKey: AgentKey): Promise<void> => {
    for (const [roomId, t] of rooms) {
      if (!t.isSpace || t.unitCode === undefined || t.agentKeyId === agentKey.content.keyId)
        continue;
      await putState(roomId, ADMIN_AGENT_EVENT, '', agentKey.content);
      t.agentKeyId = agentKey.content.keyId;
    }
  };

  const residents = new ResidentInvites({
    client,
    identity,
    spaces: rooms,
    log,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const attempts = new Map<string, number>();
  const limiter = new RequesterLimiter(opts.rateLimit ?? DEFAULT_RATE_LIMIT);
  /** Counts a failed try; true once the request has had its last one. */
  const lastAttempt = (req: { roomId: string; requestId: string; eventId: string }): boolean => {
    const tag = `${req.roomId}|${req.requestId}|${req.eventId}`;
    const n = (attempts.get(tag) ?? 0) + 1;
    attempts.set(tag, n);
    return n >= MAX_ATTEMPTS;
  };
  const handleInvite = async (req: PendingInviteRequest): Promise<void> => {
    log(`invitation request ${req.requestId} from ${req.sender} in ${req.roomId}`);
    try {
      const result = await residents.handleRequest(req);
      log(`invitation request ${req.requestId}: ${result.status}: ${result.message}`);
    } catch (err) {
      if (signal.aborted) throw err;
      log(`invitation request ${req.requestId} failed: ${(err as Error).message}`);
      if (!lastAttempt(req)) return;
      await putState(req.roomId, ADMIN_RESULT_EVENT, req.requestId, {
        status: 'error',
        code: 'failed',
        message: `the org agent could not complete the request: ${(err as Error).message}`,
        requestEventId: req.eventId,
      } satisfies AdminResultContent);
    }
    known.markAnswered(req.roomId, req.requestId);
  };
  const handleJoins = async (res: ObservedSync): Promise<void> => {
    for (const ev of res.to_device?.events ?? []) {
      if (ev.type !== RESIDENT_JOIN_EVENT || signal.aborted) continue;
      try {
        await residents.handleJoin(ev.sender, ev.content);
      } catch (err) {
        // The resident's app asks again when no answer comes.
        if (!signal.aborted) log(`resident join by ${ev.sender} failed: ${(err as Error).message}`);
      }
    }
  };
  const handle = async (req: PendingRequest): Promise<void> => {
    log(`request ${req.requestId} from ${req.sender} in ${req.roomId}`);
    let result: AdminResultContent;
    try {
      // A requester flooding the agent (a script, a stolen session) is refused rather than
      // queued before everyone else's requests; each refusal is answered and recorded.
      result = limiter.admit(req.sender, Date.now())
        ? await runAdminRequest(
            {
              client,
              identity,
              homeserverUrl: opts.homeserverUrl,
              adminToken: opts.adminToken,
              key,
              signal,
            },
            req,
          )
        : {
            status: 'error',
            code: 'rate-limited',
            message: `too many requests from ${req.sender}; send this one again later`,
            requestEventId: req.eventId,
          };
    } catch (err) {
      if (signal.aborted) throw err;
      // A server hiccup: try again on a later sync, and give up with an error result after a few tries.
      log(`request ${req.requestId} failed: ${(err as Error).message}`);
      if (!lastAttempt(req)) return;
      result = {
        status: 'error',
        code: 'failed',
        message: `the org agent could not complete the request: ${(err as Error).message}`,
        requestEventId: req.eventId,
      };
    }
    // Recorded before answering: a crash in between re-runs the request and records it twice,
    // which an auditor can read, rather than not at all.
    opts.audit?.record(agentRequestRecord({ agentUserId: identity.adminUserId, ...req, result }));
    await putState(req.roomId, ADMIN_RESULT_EVENT, req.requestId, result);
    known.markAnswered(req.roomId, req.requestId);
    log(`request ${req.requestId}: ${result.status}: ${result.message}`);
  };

  /**
   * Answered requests that carried a sealed initial password are redacted, so the ciphertext leaves
   * the room's state (Synapse prunes the redacted original after `redaction_retention_period`).
   * A failed redaction is retried after the next sync; an agent restarted sees the emptied state.
   */
  const redacted = new Set<string>();
  const redactAnsweredSecrets = async (): Promise<void> => {
    for (const [roomId, t] of rooms)
      for (const [requestId, r] of t.requests) {
        if (!t.answered.has(requestId) || redacted.has(r.eventId)) continue;
        if (!carriesSealedPassword(r.content)) continue;
        try {
          await client.request(
            'PUT',
            `/_matrix/client/v3/rooms/${seg(roomId)}/redact/${seg(r.eventId)}/${seg(`hongyan-agent-${r.eventId}`)}`,
            { body: { reason: 'answered: the sealed initial password is no longer needed' } },
          );
          redacted.add(r.eventId);
          log(`request ${requestId}: sealed password redacted`);
        } catch (err) {
          if (signal.aborted) return;
          log(`request ${requestId}: redaction failed (${(err as Error).message}); retrying`);
        }
      }
  };

  const observer = opts.audit
    ? new AuditObserver({ client, audit: opts.audit, agentUserId: identity.adminUserId })
    : undefined;
  let auditRoom: AuditRoom | undefined;
  /** Anchoring is retried with the next batch; a failure never stops the agent. */
  const anchor = async (audit: AuditLog): Promise<void> => {
    try {
      auditRoom ??= await AuditRoom.open(client, identity);
      await auditRoom.anchorHead(audit);
    } catch (err) {
      if (!signal.aborted) log(`audit anchor failed: ${(err as Error).message}`);
    }
  };

  const filter = syncFilter(randomBytes(8).toString('hex'));
  const loop = async (): Promise<void> => {
    let since: string | undefined;
    let failures = 0;
    while (!signal.aborted) {
      let res: SyncResponse & ObservedSync;
      try {
        res = await client.get<SyncResponse & ObservedSync>('/_matrix/client/v3/sync', {
          filter,
          timeout: since === undefined ? 0 : (opts.pollTimeoutMs ?? 30_000),
          ...(since === undefined ? {} : { since }),
        });
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        failures += 1;
        log(`sync failed (${(err as Error).message}); retrying`);
        await sleep(Math.min(30_000, 500 * 2 ** failures), undefined, { signal }).catch(
          () => undefined,
        );
        continue;
      }
      since = res.next_batch;
      known.absorb(res);
      // A rotated key file (`agent rotate-key`) takes effect here, and is published at once.
      const current = await keys.current();
      if (current !== key) log(`agent key rotated: now ${current.content.keyId}`);
      key = current;
      await publishKey(key);
      // Client reports and power-level changes; each recorded before the next sync acknowledges
      // the to-device messages, so a crash in between delivers them again rather than losing them.
      const observed = observer ? await observer.absorb(res) : 0;
      markReady();
      const batch = known.pendingRequests();
      for (const req of batch) {
        if (signal.aborted) return;
        await handle(req);
      }
      await redactAnsweredSecrets();
      for (const req of known.pendingInvites()) {
        if (signal.aborted) return;
        await handleInvite(req);
      }
      await handleJoins(res);
      if ((batch.length > 0 || observed > 0) && opts.audit) await anchor(opts.audit);
    }
  };

  log(`org agent running as ${identity.adminUserId} (key ${key.content.keyId})`);
  const done = loop().catch((err: unknown) => {
    if (signal.aborted) return;
    log(`org agent stopped: ${(err as Error).message}`);
    throw err;
  });
  // Keep an unobserved failure from becoming an unhandled rejection; callers may await `done`.
  done.catch(() => undefined);
  return {
    userId: identity.adminUserId,
    ready: Promise.race([ready, done]),
    async stop() {
      stopper.abort();
      await done.catch(() => undefined);
    },
    done,
  };
}

/** Whether request content carries a sealed password (a create-user request). */
function carriesSealedPassword(content: unknown): boolean {
  return typeof content === 'object' && content !== null && 'sealedPassword' in content;
}

/** Per-requester sliding window of the requests the agent ran. */
class RequesterLimiter {
  private readonly seen = new Map<string, number[]>();

  constructor(private readonly limit: RequesterRateLimit) {}

  /** Counts the request and says whether it is within the requester's limit. */
  admit(requester: string, now: number): boolean {
    const recent = (this.seen.get(requester) ?? []).filter((t) => now - t < this.limit.windowMs);
    const admitted = recent.length < this.limit.requests;
    if (admitted) recent.push(now);
    this.seen.set(requester, recent);
    return admitted;
  }
}
