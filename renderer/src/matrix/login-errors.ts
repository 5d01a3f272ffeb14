import { normaliseHttpUrl } from '../../../shared/config/transport';
import type { LoginError } from '../store/session-slice';

/**
 * Normalises what the user typed into a homeserver base URL, by the project's one rule
 * (`normaliseHttpUrl`, shared/config/transport.ts): a bare host gets `https://`; anything other than
 * http(s) is refused, as are credentials in the URL (they would leak into logs and history), and
 * plain http to anything but this machine (the password and access token would cross the network
 * in the clear).
 */
export function normaliseHomeserverUrl(
  input: string,
): { ok: true; url: string } | { ok: false; error: LoginError } {
  if (!input.trim()) return { ok: false, error: { kind: 'missingFields' } };
  const r = normaliseHttpUrl(input, { allowLoopbackHttp: true, bareHostIsHttps: true });
  if (r.ok) return { ok: true, url: r.value };
  return r.problem === 'insecure'
    ? { ok: false, error: { kind: 'insecureUrl', url: r.origin } }
    : { ok: false, error: { kind: 'invalidUrl', detail: r.detail } };
}

/** Shape of the error bits the classifier reads; matches matrix-js-sdk's MatrixError/ConnectionError. */
export interface ErrorLike {
  name?: string;
  message?: string;
  errcode?: string;
  httpStatus?: number;
  data?: { retry_after_ms?: unknown; error?: unknown };
}

/** Maps an error from the login request to a LoginError. */
export function classifyLoginFailure(err: unknown, url: string): LoginError {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ErrorLike;
  if (
    e.name === 'ConnectionError' ||
    e.name === 'TypeError' ||
    e.name === 'AbortError' ||
    e.name === 'TimeoutError'
  ) {
    return { kind: 'unreachable', url };
  }
  switch (e.errcode) {
    case 'M_FORBIDDEN':
    case 'M_INVALID_USERNAME':
      return { kind: 'badCredentials' };
    case 'M_USER_DEACTIVATED':
      return { kind: 'userDeactivated' };
    case 'M_LIMIT_EXCEEDED': {
      const ms = typeof e.data?.retry_after_ms === 'number' ? e.data.retry_after_ms : 5000;
      return { kind: 'rateLimited', seconds: Math.max(1, Math.ceil(ms / 1000)) };
    }
    case 'M_UNRECOGNIZED':
      return { kind: 'notMatrix', url };
  }
  if (e.httpStatus === 404 || e.httpStatus === 405) return { kind: 'notMatrix', url };
  if (e.httpStatus && e.httpStatus >= 500) return { kind: 'serverError', status: e.httpStatus };
  if (e.httpStatus === 401 || e.httpStatus === 403) return { kind: 'badCredentials' };
  return { kind: 'unknown', detail: e.message ?? 'unknown error' };
}

/**
 * Checks that `url` is a reachable Matrix homeserver before sending the password anywhere,
 * so "server down" and "wrong address" are told apart from "wrong password".
 */
export async function probeHomeserver(
  url: string,
  fetchFn: typeof fetch = fetch,
): Promise<LoginError | null> {
  let res: Response;
  try {
    res = await fetchFn(`${url}/_matrix/client/versions`, { signal: AbortSignal.timeout(10_000) });
  } catch {
    return { kind: 'unreachable', url };
  }
  if (res.status >= 500)
    return res.status === 502 || res.status === 503 || res.status === 504
      ? { kind: 'unreachable', url }
      : { kind: 'serverError', status: res.status };
  if (!res.ok) return { kind: 'notMatrix', url };
  try {
    const body: unknown = await res.json();
    const versions = (body as { versions?: unknown }).versions;
    if (!Array.isArray(versions)) return { kind: 'notMatrix', url };
  } catch {
    return { kind: 'notMatrix', url };
  }
  return null;
}
