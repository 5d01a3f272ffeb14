import type { MatrixClient } from 'matrix-js-sdk';

/** The tokens of a session whose access token expires. */
export interface RefreshableTokens {
  accessToken: string;
  refreshToken: string;
}

/** Parameters of {@link TokenRefresher}. */
export interface TokenRefresherParams {
  homeserverUrl: string;
  tokens: RefreshableTokens;
  /**
   * Called with each new pair before any request uses it, so the saved session holds the tokens
   * the server now knows (the old refresh token stops working once the new access token is used).
   */
  onRefreshed(tokens: RefreshableTokens & { expiresAt?: number }): Promise<void>;
  /** The underlying fetch (default: the global one). */
  fetchFn?: typeof fetch;
}

/**
 * Renews an expired access token with the session's refresh token (`POST /refresh`, the Matrix
 * client-server API's own scheme). matrix-js-sdk 43 refreshes only OAuth 2.0 sessions, so the app
 * does it in the fetch the SDK is given: a request refused with `M_UNKNOWN_TOKEN` and
 * `soft_logout` is retried once with a new token. When the server refuses the refresh token too
 * (revoked, expired, device deleted) the original refusal reaches the SDK, which reports the
 * session as logged out: the app's forced sign-out.
 */
export class TokenRefresher {
  private tokens: RefreshableTokens;
  private refreshing: Promise<boolean> | null = null;
  private readonly base: typeof fetch;

  constructor(private readonly params: TokenRefresherParams) {
    this.tokens = { ...params.tokens };
    this.base = params.fetchFn ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The access token to use now. */
  get accessToken(): string {
    return this.tokens.accessToken;
  }

  /** A fetch for the SDK and the app's own authenticated requests; renews the token when it expired. */
  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const res = await this.base(input, init);
    if (res.status !== 401) return res;
    const headers = new Headers(init?.headers);
    const sent = /^Bearer (.+)$/.exec(headers.get('Authorization') ?? '')?.[1];
    if (!sent || !(await isSoftLogout(res))) return res;
    // Another request may have renewed the token while this one was under way.
    if (sent === this.tokens.accessToken) {
      this.refreshing ??= this.refresh().finally(() => {
        this.refreshing = null;
      });
      if (!(await this.refreshing)) return res;
    }
    headers.set('Authorization', `Bearer ${this.tokens.accessToken}`);
    return this.base(input, { ...init, headers });
  };

  /**
   * Trades the refresh token for a new pair. Resolves false when the server refuses it; rejects on
   * a network failure or server error, which the caller's request then reports (and retries) as such.
   */
  private async refresh(): Promise<boolean> {
    const url = `${this.params.homeserverUrl.replace(/\/+$/, '')}/_matrix/client/v3/refresh`;
    const res = await this.base(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: this.tokens.refreshToken }),
    });
    if (res.status >= 500 || res.status === 429)
      throw new Error(`token refresh: HTTP ${res.status}`);
    if (!res.ok) return false;
    const body = (await res.json()) as {
      access_token?: unknown;
      refresh_token?: unknown;
      expires_in_ms?: unknown;
    };
    if (typeof body.access_token !== 'string' || !body.access_token)
      throw new Error('token refresh: the answer has no access_token');
    const next: RefreshableTokens = {
      accessToken: body.access_token,
      // The server may keep the refresh token as it is (it then omits it).
      refreshToken:
        typeof body.refresh_token === 'string' ? body.refresh_token : this.tokens.refreshToken,
    };
    await this.params.onRefreshed({
      ...next,
      ...(typeof body.expires_in_ms === 'number'
        ? { expiresAt: Date.now() + body.expires_in_ms }
        : {}),
    });
    this.tokens = next;
    return true;
  }
}

async function isSoftLogout(res: Response): Promise<boolean> {
  try {
    const body = (await res.clone().json()) as { errcode?: unknown; soft_logout?: unknown };
    return body.errcode === 'M_UNKNOWN_TOKEN' && body.soft_logout === true;
  } catch {
    return false;
  }
}

/** The fetch of each client whose tokens are renewed, for the app's requests outside the SDK. */
const fetchOfClient = new WeakMap<MatrixClient, typeof fetch>();

/** Registers the renewing fetch of a client. */
export function setClientFetch(client: MatrixClient, fetchFn: typeof fetch): void {
  fetchOfClient.set(client, fetchFn);
}

/** The fetch to use for an authenticated request of `client` made outside the SDK. */
export function clientFetch(client: MatrixClient): typeof fetch {
  return fetchOfClient.get(client) ?? ((input, init) => globalThis.fetch(input, init));
}
