/**
 * What the org agent knows of the rooms it has joined, built from its sync: which are the unit
 * Spaces it created, the agent key each carries, and the requests filed there and which of them
 * have been answered. The sync filter asks for just these state types.
 */
import {
  ADMIN_AGENT_EVENT,
  ADMIN_REQUEST_EVENT,
  ADMIN_RESULT_EVENT,
  INVITE_REQUEST_EVENT,
  RESIDENT_INVITE_EVENT,
  UNIT_STATE_EVENT,
} from '../../shared/matrix-types';
import type { PendingRequest } from './request-runner';
import type { InviteSpace, PendingInviteRequest } from './resident-invites';

interface SyncEvent {
  type: string;
  state_key?: string;
  event_id: string;
  sender: string;
  content: Record<string, unknown>;
}

/** The part of a `/sync` response the agent reads for its rooms. */
export interface SyncResponse {
  next_batch: string;
  rooms?: {
    join?: Record<
      string,
      { state?: { events?: SyncEvent[] }; timeline?: { events?: SyncEvent[] } }
    >;
  };
}

/** A request as filed: the state event's id, sender and content. */
type FiledRequest = { eventId: string; sender: string; content: unknown };

/** What the agent tracks per joined room. */
export interface RoomTrack extends InviteSpace {
  isSpace: boolean;
  agentKeyId?: string;
  requests: Map<string, FiledRequest>;
  /** Residents' invitation requests (answered with the same result event as admin requests). */
  inviteRequests: Map<string, FiledRequest>;
  answered: Set<string>;
}

const STATE_TYPES = [
  'm.room.create',
  // For the audit log: changes of power levels (see audit-observer.ts).
  'm.room.power_levels',
  UNIT_STATE_EVENT,
  ADMIN_AGENT_EVENT,
  ADMIN_REQUEST_EVENT,
  ADMIN_RESULT_EVENT,
  INVITE_REQUEST_EVENT,
  RESIDENT_INVITE_EVENT,
];

/**
 * Only what the agent needs, so syncing a large org stays light. Synapse caches sync responses for a
 * while (`sync_response_cache_duration`, 2 minutes by default) keyed by token and filter, so a
 * restarted agent would get its predecessor's stale initial sync; excluding a made-up room ID unique
 * to this run makes the filter, and so the cache key, new.
 */
export function syncFilter(runId: string): string {
  return JSON.stringify({
    presence: { not_types: ['*'] },
    account_data: { not_types: ['*'] },
    room: {
      not_rooms: [`!hongyan-org-agent-${runId}:invalid`],
      state: { types: STATE_TYPES },
      timeline: { types: STATE_TYPES, limit: 100 },
      ephemeral: { not_types: ['*'] },
      account_data: { not_types: ['*'] },
    },
  });
}

/** The agent's rooms, by room ID, as its sync has shown them so far. */
export class AgentRooms {
  readonly rooms = new Map<string, RoomTrack>();

  /** `adminUserId`: the provisioning account; only Spaces it created are units. */
  constructor(private readonly adminUserId: string) {}

  /** Reads the state and timeline events of every joined room in a sync response. */
  absorb(res: SyncResponse): void {
    for (const [roomId, room] of Object.entries(res.rooms?.join ?? {})) {
      for (const ev of room.state?.events ?? []) this.absorbEvent(roomId, ev);
      for (const ev of room.timeline?.events ?? []) this.absorbEvent(roomId, ev);
    }
  }

  /** Records that a request has its result. */
  markAnswered(roomId: string, requestId: string): void {
    this.track(roomId).answered.add(requestId);
  }

  /** Unit admins' requests without a result yet, in the Spaces the agent created. */
  pendingRequests(): PendingRequest[] {
    return this.unanswered((t) => t.requests);
  }

  /** Residents' invitation requests without a result yet. */
  pendingInvites(): PendingInviteRequest[] {
    return this.unanswered((t) => t.inviteRequests);
  }

  private unanswered(
    filed: (t: RoomTrack) => Map<string, FiledRequest>,
  ): (FiledRequest & { roomId: string; requestId: string })[] {
    const out: (FiledRequest & { roomId: string; requestId: string })[] = [];
    for (const [roomId, t] of this.rooms) {
      if (!t.isSpace) continue;
      for (const [requestId, r] of filed(t))
        if (!t.answered.has(requestId) && Object.keys(r.content as object).length > 0)
          out.push({ roomId, requestId, ...r });
    }
    return out;
  }

  private track(roomId: string): RoomTrack {
    let t = this.rooms.get(roomId);
    if (!t) {
      t = {
        isSpace: false,
        requests: new Map(),
        inviteRequests: new Map(),
        invites: new Map(),
        answered: new Set(),
      };
      this.rooms.set(roomId, t);
    }
    return t;
  }

  private absorbEvent(roomId: string, ev: SyncEvent): void {
    if (ev.state_key === undefined) return;
    const t = this.track(roomId);
    const filed = { eventId: ev.event_id, sender: ev.sender, content: ev.content };
    // A Space someone else created is no unit, whatever state it carries: its requests are ignored.
    if (ev.type === 'm.room.create')
      t.isSpace = ev.content.type === 'm.space' && ev.sender === this.adminUserId;
    else if (ev.type === UNIT_STATE_EVENT && typeof ev.content.code === 'string') {
      t.unitCode = ev.content.code;
      t.unitName = typeof ev.content.name === 'string' ? ev.content.name : undefined;
    } else if (ev.type === INVITE_REQUEST_EVENT) t.inviteRequests.set(ev.state_key, filed);
    else if (ev.type === RESIDENT_INVITE_EVENT) t.invites.set(ev.state_key, ev.content);
    else if (ev.type === ADMIN_AGENT_EVENT)
      t.agentKeyId = typeof ev.content.keyId === 'string' ? ev.content.keyId : undefined;
    else if (ev.type === ADMIN_REQUEST_EVENT) t.requests.set(ev.state_key, filed);
    else if (ev.type === ADMIN_RESULT_EVENT && Object.keys(ev.content).length > 0)
      t.answered.add(ev.state_key);
  }
}
