/**
 * One client of the crowd in the load benchmark: a bare HTTP Matrix client with its own account
 * and access token that long-polls /sync the way a real client does, and notes when each event
 * first reaches it. It sends with transaction ids and retries on failure, as the app's outbox does,
 * so a message accepted once is never sent twice.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** A room event seen in a sync response: who saw which event, when. */
export type SeenHandler = (eventId: string, at: number) => void;

/** Sync filter of the crowd: the timeline and receipts of joined rooms, nothing else. */
const FILTER = JSON.stringify({
  presence: { types: [] },
  account_data: { types: [] },
  room: {
    timeline: { limit: 50 },
    state: { lazy_load_members: true },
    account_data: { types: [] },
  },
});

interface SyncResponse {
  next_batch: string;
  rooms?: { join?: Record<string, { timeline?: { events?: Array<{ event_id?: string }> } }> };
}

/** A long-polling bare HTTP client. */
export class CrowdClient {
  private since: string | undefined;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private txn = 0;
  /** Sync requests that failed (and were retried). */
  errors = 0;

  constructor(
    readonly userId: string,
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly onSeen: SeenHandler,
  ) {}

  private headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' };
  }

  private async syncOnce(timeoutMs: number): Promise<void> {
    const params = new URLSearchParams({ filter: FILTER, timeout: String(timeoutMs) });
    if (this.since) params.set('since', this.since);
    const res = await fetch(`${this.baseUrl}/_matrix/client/v3/sync?${params.toString()}`, {
      headers: this.headers(),
      signal: this.abort.signal,
    });
    if (!res.ok) throw new Error(`sync: HTTP ${res.status}`);
    const body = (await res.json()) as SyncResponse;
    const at = Date.now();
    for (const room of Object.values(body.rooms?.join ?? {}))
      for (const e of room.timeline?.events ?? []) if (e.event_id) this.onSeen(e.event_id, at);
    this.since = body.next_batch;
  }

  /** The first (initial) sync, then long-polls until {@link stop}. */
  async start(): Promise<void> {
    await this.syncOnce(0);
    this.loop = (async () => {
      while (!this.abort.signal.aborted) {
        try {
          await this.syncOnce(30_000);
        } catch {
          if (this.abort.signal.aborted) return;
          this.errors += 1;
          await delay(1000);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /** Sends an event, retrying with the same transaction id until the server accepts it. */
  async send(roomId: string, type: string, content: object): Promise<string> {
    const txn = `load-${Date.now()}-${this.txn++}`;
    const url = `${this.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/${txn}`;
    for (let attempt = 1; ; attempt++) {
      let status = 0;
      try {
        const res = await fetch(url, {
          method: 'PUT',
          headers: this.headers(),
          body: JSON.stringify(content),
        });
        if (res.ok) return ((await res.json()) as { event_id: string }).event_id;
        status = res.status;
        await res.body?.cancel();
      } catch (err) {
        if (attempt >= 10) throw err; // the server is unreachable
      }
      // A refusal (4xx other than rate limiting) is final; a server error or outage is retried.
      if ((status >= 400 && status < 500 && status !== 429) || attempt >= 10)
        throw new Error(`send to ${roomId}: HTTP ${status}`);
      await delay(Math.min(200 * 2 ** attempt, 5000));
    }
  }
}
