/**
 * A small HTTP client for Synapse's client-server and admin APIs, made for bulk provisioning:
 * it counts writes, honours 429 `retry_after_ms`, retries transient failures (every provisioning
 * write is idempotent), and keeps the token in a header, never in a URL or an error message.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { insecureTransportReason } from '../shared/config/transport';

/** An error answer from the homeserver. */
export class MatrixApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly errcode: string | undefined,
    readonly serverMessage: string,
  ) {
    super(`${method} ${path} failed: ${status} ${errcode ?? ''} ${serverMessage}`.trim());
    this.name = 'MatrixApiError';
  }
}

/** Options of {@link SynapseClient}. */
export interface SynapseClientOptions {
  /** Homeserver base URL, e.g. `http://127.0.0.1:8008`. */
  baseUrl: string;
  /** Access token of a Synapse server admin. */
  token: string;
  /** Aborts requests in flight and stops retries. */
  signal?: AbortSignal;
  /** Called when a write (any non-GET request) is about to be sent. */
  onWrite?: (count: number) => void;
  /** Retries of a request that failed for a transient reason (network, 502–504). Default 4. */
  maxRetries?: number;
}

/** Request options. */
export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Send as another user (a short-lived token from the admin login API) instead of the admin. */
  token?: string;
}

const TRANSIENT_STATUS = new Set([502, 503, 504]);
const MAX_RATE_LIMIT_WAITS = 50;

/** See the module comment. */
export class SynapseClient {
  private readonly counter: { writes: number };
  private readonly baseUrl: string;

  constructor(
    private readonly opts: SynapseClientOptions,
    counter?: { writes: number },
  ) {
    // The server-admin token opens every account: never over plain http beyond this machine.
    const insecure = insecureTransportReason(opts.baseUrl);
    if (insecure)
      throw new Error(`refusing to send the server-admin token to ${insecure}; use https`);
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.counter = counter ?? { writes: 0 };
  }

  /** Number of write requests sent so far (retries included: each is a request the server sees). */
  get writes(): number {
    return this.counter.writes;
  }

  /** The same client, counting into the same total, but deaf to the abort signal: for clean-up after an abort. */
  withoutSignal(): SynapseClient {
    const { signal: _signal, ...rest } = this.opts;
    return new SynapseClient(rest, this.counter);
  }

  /** Sends a request and returns the parsed JSON answer. Throws {@link MatrixApiError} on an error status. */
  async request<T>(
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    path: string,
    opts: RequestOptions = {},
  ): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    let transientFailures = 0;
    let rateLimitWaits = 0;
    for (;;) {
      this.opts.signal?.throwIfAborted();
      if (method !== 'GET') {
        this.counter.writes += 1;
        this.opts.onWrite?.(this.counter.writes);
      }
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: {
            Authorization: `Bearer ${opts.token ?? this.opts.token}`,
            ...(opts.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
          ...(this.opts.signal ? { signal: this.opts.signal } : {}),
        });
      } catch (err) {
        if (this.opts.signal?.aborted) throw err;
        transientFailures += 1;
        if (transientFailures > (this.opts.maxRetries ?? 4)) {
          throw new Error(
            `${method} ${path}: cannot reach the homeserver at ${this.baseUrl} (${(err as Error).message})`,
            { cause: err },
          );
        }
        await sleep(250 * 2 ** transientFailures, undefined, { signal: this.opts.signal });
        continue;
      }
      const text = await res.text();
      let body: Record<string, unknown> = {};
      try {
        body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        body = { error: text.slice(0, 200) };
      }
      if (res.ok) return body as T;
      if (res.status === 429 && rateLimitWaits < MAX_RATE_LIMIT_WAITS) {
        rateLimitWaits += 1;
        await sleep(retryAfterMs(res, body), undefined, { signal: this.opts.signal });
        continue;
      }
      if (TRANSIENT_STATUS.has(res.status) && transientFailures < (this.opts.maxRetries ?? 4)) {
        transientFailures += 1;
        await sleep(250 * 2 ** transientFailures, undefined, { signal: this.opts.signal });
        continue;
      }
      const errcode = typeof body.errcode === 'string' ? body.errcode : undefined;
      throw new MatrixApiError(
        method,
        path,
        res.status,
        errcode,
        typeof body.error === 'string' ? body.error : '',
      );
    }
  }

  /** GET shorthand. */
  get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }
}

/** How long a 429 asks us to wait: `retry_after_ms` in the body, else the Retry-After header, else 1 s. */
export function retryAfterMs(
  res: Pick<Response, 'headers'>,
  body: Record<string, unknown>,
): number {
  if (typeof body.retry_after_ms === 'number' && body.retry_after_ms >= 0)
    return Math.min(body.retry_after_ms, 60_000);
  const header = Number(res.headers.get('retry-after'));
  return Number.isFinite(header) && header > 0 ? Math.min(header * 1000, 60_000) : 1000;
}

/** Percent-encodes one path segment (room IDs, user IDs, aliases, event types). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
