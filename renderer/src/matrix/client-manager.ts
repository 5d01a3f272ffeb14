import {
  createClient,
  IndexedDBStore,
  PendingEventOrdering,
  type MatrixClient,
} from 'matrix-js-sdk';
import { initAsync } from '@matrix-org/matrix-sdk-crypto-wasm';
import type { Logger } from 'matrix-js-sdk/lib/logger.js';
import { SecretStorageKeyCache } from './secret-storage-key-cache';
import { loadTrustAnchor, setTrustAnchor } from './trust-anchor';
import { classifyLoginFailure, normaliseHomeserverUrl, probeHomeserver } from './login-errors';
import type { LoginError } from '../store/session-slice';
import { createPerRoomScheduler } from './per-room-send-queue';
import { filterOwnDeviceListNoise } from './own-device-list-noise';
import { setClientFetch, TokenRefresher } from './token-refresh';

/** What a signed-in session needs to resume; the access token is a secret and is never logged. */
export interface SessionCredentials {
  homeserverUrl: string;
  userId: string;
  deviceId: string;
  accessToken: string;
  /** Renews the access token when it expires; absent for sessions from before tokens expired. */
  refreshToken?: string;
  /** When the access token expires (ms since the epoch), as the server said; informational. */
  accessTokenExpiresAt?: number;
}

/** Result of a login attempt: credentials, or a classified error for the login screen. */
export type LoginResult =
  { ok: true; credentials: SessionCredentials } | { ok: false; error: LoginError };

type LoginRequest = Parameters<MatrixClient['loginRequest']>[0];

/**
 * Normalises the homeserver URL, refuses an origin the page may not reach, and checks that a
 * Matrix server answers there, before any credential is sent.
 */
async function checkHomeserver(params: {
  homeserverUrl: string;
  allowedOrigins?: readonly string[];
}): Promise<{ ok: true; url: string } | { ok: false; error: LoginError }> {
  const normalised = normaliseHomeserverUrl(params.homeserverUrl);
  if (!normalised.ok) return normalised;
  const url = normalised.url;
  const origin = new URL(url).origin;
  const allowed = params.allowedOrigins;
  if (allowed && !allowed.includes(origin))
    return {
      ok: false,
      error: { kind: 'homeserverNotAllowed', url: origin, allowed: allowed.join(' ') },
    };
  const probeError = await probeHomeserver(url);
  return probeError ? { ok: false, error: probeError } : { ok: true, url };
}

/** Parameters of {@link ClientManager.login}. */
export interface LoginParams {
  /** What the user typed as homeserver URL; normalised before use. */
  homeserverUrl: string;
  username: string;
  password: string;
  /** Shown to the user in their device list. */
  deviceDisplayName: string;
  /**
   * Web mode: the only homeserver origins the page may connect to (its CSP's `connect-src`), so
   * another one is refused with a clear error instead of an opaque network failure.
   */
  allowedOrigins?: readonly string[];
}

/**
 * Owns the one MatrixClient of the app. Created once at start-up and handed to React through
 * `ClientContext`; UI state never holds the client or SDK objects, only IDs and plain data.
 */
export class ClientManager {
  private current: MatrixClient | null = null;
  private credentials: SessionCredentials | null = null;
  /** Secret-storage keys held only while a recovery or setup flow runs; wired into the crypto callbacks. */
  readonly keyCache = new SecretStorageKeyCache();

  /** The running client, or null when signed out. */
  get client(): MatrixClient | null {
    return this.current;
  }

  /** Checks the homeserver, then exchanges username and password for a new device session. */
  async login(params: LoginParams): Promise<LoginResult> {
    if (!params.username.trim() || !params.password)
      return { ok: false, error: { kind: 'missingFields' } };
    const checked = await checkHomeserver(params);
    if (!checked.ok) return checked;
    return this.exchange(checked.url, {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: params.username.trim() },
      password: params.password,
      initial_device_display_name: params.deviceDisplayName,
      refresh_token: true,
    });
  }

  /** Exchanges the single-use token that single sign-on handed back for a new device session. */
  async loginWithToken(params: {
    homeserverUrl: string;
    loginToken: string;
    deviceDisplayName: string;
    allowedOrigins?: readonly string[];
  }): Promise<LoginResult> {
    const checked = await checkHomeserver(params);
    if (!checked.ok) return checked;
    const result = await this.exchange(checked.url, {
      type: 'm.login.token',
      token: params.loginToken,
      initial_device_display_name: params.deviceDisplayName,
      refresh_token: true,
    });
    // A refused token means an expired, reused or forged sign-in, not a wrong password.
    if (!result.ok && result.error.kind === 'badCredentials')
      return { ok: false, error: { kind: 'ssoFailed' } };
    return result;
  }

  private async exchange(url: string, body: LoginRequest): Promise<LoginResult> {
    const anonymous = createClient({ baseUrl: url });
    try {
      const res = await anonymous.loginRequest(body);
      return {
        ok: true,
        credentials: {
          homeserverUrl: url,
          userId: res.user_id,
          deviceId: res.device_id,
          accessToken: res.access_token,
          ...(res.refresh_token ? { refreshToken: res.refresh_token } : {}),
          ...(res.expires_in_ms ? { accessTokenExpiresAt: Date.now() + res.expires_in_ms } : {}),
        },
      };
    } catch (err) {
      return { ok: false, error: classifyLoginFailure(err, url) };
    } finally {
      anonymous.stopClient();
    }
  }

  /**
   * Creates the authenticated client, starts Rust crypto and begins syncing.
   * The crypto store is per user and device so a new login never meets another device's keys.
   * In a browser the crypto store is encrypted with `storageKey` and the sync state is cached in
   * IndexedDB, so a restart shows the room list without a full initial sync.
   */
  async start(credentials: SessionCredentials, options: StartOptions = {}): Promise<MatrixClient> {
    await this.stop();
    const browserStorage = options.persistent ?? typeof indexedDB !== 'undefined';
    const store = browserStorage
      ? new IndexedDBStore({
          indexedDB,
          dbName: syncStoreName(credentials),
          localStorage: globalThis.localStorage,
        })
      : undefined;
    // Expiring tokens are renewed inside the fetch the SDK uses (see TokenRefresher); the client
    // is told the new token so later requests carry it, and the caller saves the new pair.
    let refreshed: MatrixClient | null = null;
    const refresher = credentials.refreshToken
      ? new TokenRefresher({
          homeserverUrl: credentials.homeserverUrl,
          tokens: { accessToken: credentials.accessToken, refreshToken: credentials.refreshToken },
          onRefreshed: async ({ accessToken, refreshToken, expiresAt }) => {
            const next: SessionCredentials = {
              homeserverUrl: credentials.homeserverUrl,
              userId: credentials.userId,
              deviceId: credentials.deviceId,
              accessToken,
              refreshToken,
              ...(expiresAt ? { accessTokenExpiresAt: expiresAt } : {}),
            };
            if (this.credentials?.deviceId === next.deviceId) this.credentials = next;
            refreshed?.setAccessToken(accessToken);
            await options.onTokensRefreshed?.(next);
          },
        })
      : null;
    const client = createClient({
      baseUrl: credentials.homeserverUrl,
      userId: credentials.userId,
      deviceId: credentials.deviceId,
      accessToken: credentials.accessToken,
      ...(refresher ? { fetchFn: refresher.fetch } : {}),
      timelineSupport: true,
      scheduler: createPerRoomScheduler(),
      cryptoCallbacks: this.keyCache.callbacks(),
      ...(store ? { store } : {}),
      logger: options.logger ?? consoleLogger(),
    });
    refreshed = client;
    if (refresher) setClientFetch(client, refresher.fetch);
    // Independent: open the sync cache while the crypto store and its WebAssembly load. The
    // server's versions are asked for meanwhile too: `startClient` waits for them before it reads
    // the sync cache, and the client keeps the answer (an error is left for `startClient` to log).
    // The trust anchor (who provisions the org) is known before the first sync builds the org view.
    const [, , , anchor] = await Promise.all([
      store?.startup(),
      client.initRustCrypto({
        useIndexedDB: browserStorage,
        cryptoDatabasePrefix: cryptoStorePrefix(credentials),
        ...(options.storageKey ? { storageKey: options.storageKey } : {}),
      }),
      client.getVersions().catch(() => undefined),
      loadTrustAnchor(credentials.homeserverUrl),
    ]);
    setTrustAnchor(client, anchor);
    filterOwnDeviceListNoise(client);
    this.current = client;
    this.credentials = credentials;
    await client.startClient({
      initialSyncLimit: options.initialSyncLimit ?? 20,
      lazyLoadMembers: true,
      // Local echoes stay out of the timeline until the server has the event; the outbox shows them.
      pendingEventOrdering: PendingEventOrdering.Detached,
    });
    return client;
  }

  /** Stops syncing and forgets the client (local data stays; see {@link logout}). */
  async stop(): Promise<void> {
    const client = this.current;
    this.current = null;
    this.keyCache.clear();
    if (client) {
      client.stopClient();
      client.removeAllListeners();
    }
  }

  /**
   * Signs out on the server, which deletes this device and its keys there, then deletes the local
   * crypto store and sync cache. If the server cannot be reached the local data is still deleted
   * and the error is rethrown, so the caller can tell the user the device may still be listed.
   */
  async logout(): Promise<void> {
    const client = this.current;
    const credentials = this.credentials;
    if (!client || !credentials) return;
    let serverError: unknown = null;
    // A new device uploads its keys in the background right after start. Were the server to end
    // the session while that upload is in flight, the upload would register the device again
    // (a Synapse race). So: wait until the server lists this device's keys (bounded), and stop the
    // sync and crypto loops so no further upload starts, then sign out.
    await untilDeviceKeysUploaded(client, KEY_UPLOAD_WAIT_MS);
    client.stopClient();
    try {
      await client.logout(true);
    } catch (err) {
      serverError = err;
    }
    await this.forgetLocally();
    if (serverError) throw serverError;
  }

  /**
   * Stops the client and deletes its crypto store and sync cache, without asking the server (which
   * has already ended the session, e.g. when the device was deleted from another one).
   */
  async forgetLocally(): Promise<void> {
    const client = this.current;
    const credentials = this.credentials;
    if (client && credentials) {
      client.stopClient();
      await client
        .clearStores({ cryptoDatabasePrefix: cryptoStorePrefix(credentials) })
        .catch(() => undefined);
    }
    await this.stop();
    this.credentials = null;
  }
}

/** How long logout waits for a new device's first key upload before signing out anyway. */
export const KEY_UPLOAD_WAIT_MS = 15_000;

/**
 * Resolves once the homeserver returns this device's keys from `/keys/query`, or after
 * `timeoutMs`, or as soon as the server cannot be reached (logout then fails anyway). Polls with
 * a growing interval: no event tells when the crypto layer's background upload has landed.
 */
async function untilDeviceKeysUploaded(client: MatrixClient, timeoutMs: number): Promise<void> {
  const userId = client.getSafeUserId();
  const deviceId = client.getDeviceId();
  if (!deviceId) return;
  const deadline = Date.now() + timeoutMs;
  for (let delayMs = 100; Date.now() < deadline; delayMs = Math.min(delayMs * 2, 1000)) {
    try {
      const res = await client.downloadKeysForUsers([userId]);
      if (res.device_keys?.[userId]?.[deviceId]) return;
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

/** Options of {@link ClientManager.start}. */
export interface StartOptions {
  /** 32 bytes that encrypt the IndexedDB crypto store (required for a persisted browser session). */
  storageKey?: Uint8Array;
  /** Keep crypto and sync state in IndexedDB (default: when IndexedDB exists). Node runs in memory. */
  persistent?: boolean;
  /** Events per room in the first sync (default 20). */
  initialSyncLimit?: number;
  /**
   * Called with the session's new tokens after each renewal, before they are used, so a saved
   * session can be updated (a restart after expiry then resumes with them).
   */
  onTokensRefreshed?: (credentials: SessionCredentials) => Promise<void>;
  /** Where the SDK logs (default: {@link consoleLogger}). Tests and benches pass {@link quietLogger}. */
  logger?: Logger;
}

/**
 * Starts loading the Rust crypto WebAssembly (download and compile, ~8 MB) in the background, so
 * that it overlaps the app's own start-up instead of waiting for {@link ClientManager.start}.
 * `initRustCrypto` later finds it loaded (one module instance; a failure is reported there).
 */
export function preloadCrypto(): void {
  initAsync().catch(() => undefined);
}

/**
 * The SDK's log lines on the console, with the SDK's default levels. The SDK's own default logger
 * creates (and looks up a persisted level for, in localStorage and cookies) a new logger for
 * every room and every child, which costs measurably when hundreds of rooms load at start.
 */
export function consoleLogger(prefix = ''): Logger {
  const tag = prefix ? [prefix] : [];
  return {
    trace: (...msg: unknown[]) => console.trace(...tag, ...msg),
    debug: (...msg: unknown[]) => console.debug(...tag, ...msg),
    info: (...msg: unknown[]) => console.info(...tag, ...msg),
    warn: (...msg: unknown[]) => console.warn(...tag, ...msg),
    error: (...msg: unknown[]) => console.error(...tag, ...msg),
    getChild: (namespace: string) => consoleLogger(prefix + namespace),
  };
}

/** A logger that keeps only warnings and errors: the SDK's debug output drowns test and bench reports. */
export const quietLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (...msg: unknown[]) => console.warn(...msg),
  error: (...msg: unknown[]) => console.error(...msg),
  getChild: () => quietLogger,
};

/** IndexedDB name of one device's sync cache. */
export function syncStoreName(c: Pick<SessionCredentials, 'userId' | 'deviceId'>): string {
  return `hongyan-sync:${c.userId}:${c.deviceId}`;
}

/** IndexedDB name prefix of one device's crypto store. */
export function cryptoStorePrefix(c: Pick<SessionCredentials, 'userId' | 'deviceId'>): string {
  return `hongyan-crypto:${c.userId}:${c.deviceId}`;
}
