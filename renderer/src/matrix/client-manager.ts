import { createClient, type MatrixClient } from 'matrix-js-sdk';
import { classifyLoginFailure, normaliseHomeserverUrl, probeHomeserver, type LoginError } from './login-errors';

/** What a signed-in session needs to resume; the access token is a secret and is never logged. */
export interface SessionCredentials {
  homeserverUrl: string;
  userId: string;
  deviceId: string;
  accessToken: string;
}

/** Result of a login attempt: credentials, or a classified error for the login screen. */
export type LoginResult = { ok: true; credentials: SessionCredentials } | { ok: false; error: LoginError };

/** Parameters of {@link ClientManager.login}. */
export interface LoginParams {
  /** What the user typed as homeserver URL; normalised before use. */
  homeserverUrl: string;
  username: string;
  password: string;
  /** Shown to the user in their device list. */
  deviceDisplayName: string;
}

/**
 * Owns the one MatrixClient of the app. Created once at start-up and handed to React through
 * `ClientContext`; UI state never holds the client or SDK objects, only IDs and plain data.
 */
export class ClientManager {
  private current: MatrixClient | null = null;

  /** The running client, or null when signed out. */
  get client(): MatrixClient | null {
    return this.current;
  }

  /** Checks the homeserver, then exchanges username and password for a new device session. */
  async login(params: LoginParams): Promise<LoginResult> {
    if (!params.username.trim() || !params.password) return { ok: false, error: { kind: 'missingFields' } };
    const normalised = normaliseHomeserverUrl(params.homeserverUrl);
    if (!normalised.ok) return normalised;
    const url = normalised.url;
    const probeError = await probeHomeserver(url);
    if (probeError) return { ok: false, error: probeError };
    const anonymous = createClient({ baseUrl: url });
    try {
      const res = await anonymous.loginRequest({
        type: 'm.login.password',
        identifier: { type: 'm.id.user', user: params.username.trim() },
        password: params.password,
        initial_device_display_name: params.deviceDisplayName,
      });
      return {
        ok: true,
        credentials: { homeserverUrl: url, userId: res.user_id, deviceId: res.device_id, accessToken: res.access_token },
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
   */
  async start(credentials: SessionCredentials, options: { storageKey?: Uint8Array } = {}): Promise<MatrixClient> {
    await this.stop();
    const client = createClient({
      baseUrl: credentials.homeserverUrl,
      userId: credentials.userId,
      deviceId: credentials.deviceId,
      accessToken: credentials.accessToken,
      timelineSupport: true,
    });
    await client.initRustCrypto({
      useIndexedDB: typeof indexedDB !== 'undefined',
      cryptoDatabasePrefix: cryptoStorePrefix(credentials),
      ...(options.storageKey ? { storageKey: options.storageKey } : {}),
    });
    this.current = client;
    await client.startClient({ initialSyncLimit: 20, lazyLoadMembers: true });
    return client;
  }

  /** Stops syncing and forgets the client (local data stays; see {@link logout}). */
  async stop(): Promise<void> {
    const client = this.current;
    this.current = null;
    if (client) {
      client.stopClient();
      client.removeAllListeners();
    }
  }

  /** Signs out on the server (removing this device) and deletes the local crypto store. */
  async logout(): Promise<void> {
    const client = this.current;
    if (!client) return;
    try {
      await client.logout(true);
    } finally {
      await client.clearStores().catch(() => undefined);
      await this.stop();
    }
  }
}

/** IndexedDB name prefix of one device's crypto store. */
export function cryptoStorePrefix(c: Pick<SessionCredentials, 'userId' | 'deviceId'>): string {
  return `hongyan-crypto:${c.userId}:${c.deviceId}`;
}
