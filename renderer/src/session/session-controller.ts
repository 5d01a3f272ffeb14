import type { StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';
import type { Platform, SessionKeeping } from '../platform/platform';
import type { ClientManager, LoginResult, SessionCredentials } from '../matrix/client-manager';
import type { RecoverySecret } from '../matrix/crypto-setup';
import type { Outbox } from '../matrix/outbox/outbox';
import { keepSessionAs, wipeLockedSession } from '../matrix/session-keeping';
import {
  clearSession,
  loadSession,
  newStorageKey,
  saveSession,
} from '../matrix/session-persistence';
import type { BindNotificationsParams } from '../matrix/notifications';
import { VerificationController } from '../matrix/verification-controller';
import type { CircularsController } from '../circulars/circulars-controller';
import { reportLogin } from '../audit/report-audit';
import { SessionRoot } from './session-root';
import { deleteSessionStores, openSessionStores } from './session-stores';
import { SessionEncryption } from './session-encryption';

/** Parameters of the {@link SessionController} constructor. */
export interface SessionControllerParams {
  manager: ClientManager;
  platform: Platform;
  store: StoreApi<AppState>;
  /** Shown in the user's device list. */
  deviceName: string;
  /** Asks the user whether to keep the session with weak protection; false keeps it for this run only. */
  confirmWeakSecrets(): Promise<boolean>;
  /** Localised notification text. */
  describeNotification: BindNotificationsParams['describe'];
  /** Web mode: the homeserver origins the page's CSP lets it reach; others are refused at login. */
  allowedHomeserverOrigins?: readonly string[];
}

/**
 * The session lifecycle of the app: login, restore on start, logout, and the encryption setup that
 * follows a login. What a signed-in session runs is its {@link SessionRoot}, started here after
 * sign-in and stopped at logout. React calls it; it writes plain state to the store.
 */
export class SessionController {
  private root: SessionRoot | null = null;
  /** Bumped by every start and logout, so a cached room list that loads late is not shown. */
  private generation = 0;
  /** The account and device whose stores were opened last (deleted at logout). */
  private device: { userId: string; deviceId: string } | null = null;
  /** Emoji (SAS) verification of this device or another user. */
  readonly verification: VerificationController;
  private loggingOut: Promise<void> | null = null;
  /** Key setup after sign-in, recovery and the recovery passphrase. */
  private readonly encryption: SessionEncryption;

  constructor(private readonly params: SessionControllerParams) {
    this.verification = new VerificationController(params.manager, params.store);
    this.encryption = new SessionEncryption({
      manager: params.manager,
      store: params.store,
      signingOut: () => this.loggingOut !== null,
    });
  }

  /** The running outbox (null while signed out). */
  get currentOutbox(): Outbox | null {
    return this.root?.outbox ?? null;
  }

  /** The circulars feature of the signed-in session (null while signed out). */
  get circulars(): CircularsController | null {
    return this.root?.circulars ?? null;
  }

  /**
   * Resumes the saved session, if any, without asking for the password. Returns whether it did.
   * A session kept under a passphrase leaves the app `locked` until {@link unlock}.
   */
  async restore(): Promise<boolean> {
    const { platform, store } = this.params;
    if ((await platform.webVault?.state().catch(() => 'empty')) === 'locked') {
      store.getState().setLocked();
      return false;
    }
    let loaded;
    try {
      loaded = await loadSession(platform.secrets);
    } catch (err) {
      console.warn(`[session] saved session unreadable: ${(err as Error).message}`);
      return false;
    }
    if (loaded.error) console.warn(`[session] ${loaded.error}`);
    if (!loaded.session) return false;
    store.setState({ status: 'restoring', loginError: null });
    try {
      await this.begin(loaded.session.credentials, loaded.session.storageKey, {
        persist: false,
        saved: true,
      });
      return true;
    } catch (err) {
      console.warn(`[session] restore failed: ${(err as Error).message}`);
      await this.params.manager.stop();
      store.getState().clearRooms();
      store.getState().setSignedOut();
      return false;
    }
  }

  /** Web mode: opens a session kept under a passphrase. Resolves false when the passphrase is wrong. */
  async unlock(passphrase: string): Promise<boolean> {
    const vault = this.params.platform.webVault;
    if (!vault || !(await vault.unlock(passphrase))) return false;
    this.params.store.getState().setSignedOut();
    await this.restore();
    return true;
  }

  /** Web mode, passphrase forgotten: deletes the locked session and every local database. */
  async forgetLockedSession(): Promise<void> {
    const vault = this.params.platform.webVault;
    if (vault) await wipeLockedSession(vault);
    this.params.store.getState().setSignedOut();
  }

  /**
   * Signs in with a password, keeps the session as the user chose (web mode; the desktop always
   * uses the OS keyring) and sets up encryption on first login.
   */
  async login(params: {
    homeserverUrl: string;
    username: string;
    password: string;
    keeping?: SessionKeeping;
  }): Promise<void> {
    const { manager, store } = this.params;
    // A sign-out still deleting the previous session's data must finish first.
    await this.loggingOut;
    store.getState().setSigningIn();
    const { keeping, ...credentialsInput } = params;
    const result = await manager.login({
      ...credentialsInput,
      deviceDisplayName: this.params.deviceName,
      ...this.allowedOrigins(),
    });
    await this.finishLogin(result, { password: params.password, keeping });
  }

  /**
   * Completes a single sign-on: exchanges the token the identity platform's round trip handed back.
   * The key setup of a first login then runs as for a password login (Synapse lets an account
   * upload its first cross-signing keys without re-authentication).
   */
  async loginWithToken(params: { homeserverUrl: string; loginToken: string }): Promise<void> {
    const { manager, store } = this.params;
    await this.loggingOut;
    store.getState().setSigningIn();
    const result = await manager.loginWithToken({
      ...params,
      deviceDisplayName: this.params.deviceName,
      ...this.allowedOrigins(),
    });
    await this.finishLogin(result, {});
  }

  private allowedOrigins(): { allowedOrigins?: readonly string[] } {
    const origins = this.params.allowedHomeserverOrigins;
    return origins ? { allowedOrigins: origins } : {};
  }

  private async finishLogin(
    result: LoginResult,
    opts: { password?: string; keeping?: SessionKeeping | undefined },
  ): Promise<void> {
    const { manager, platform, store } = this.params;
    const { keeping } = opts;
    const state = store.getState();
    if (!result.ok) {
      state.setLoginError(result.error);
      return;
    }
    let persist = true;
    try {
      const protection = await platform.secretsProtection();
      if (protection.needsConsent) {
        persist = await this.params.confirmWeakSecrets();
        if (persist) await platform.consentToWeakSecrets();
      }
      // 不保存登录: nothing is saved, and the crypto store and sync cache live in memory only.
      if (platform.webVault && keeping) persist = await keepSessionAs(platform.webVault, keeping);
      await this.begin(result.credentials, newStorageKey(), {
        persist,
        freshLogin: true,
        ...(opts.password !== undefined ? { password: opts.password } : {}),
        ...(keeping?.mode === 'session' ? { persistent: false } : {}),
      });
    } catch (err) {
      await manager.stop();
      state.clearRooms();
      state.setLoginError({ kind: 'crypto', detail: (err as Error).message });
    }
  }

  private async begin(
    credentials: SessionCredentials,
    storageKey: Uint8Array<ArrayBuffer>,
    opts: {
      persist: boolean;
      /** The session comes from the saved store (restore): renewed tokens are written back. */
      saved?: boolean;
      freshLogin?: boolean;
      password?: string;
      persistent?: boolean;
    },
  ): Promise<void> {
    const { manager, platform, store } = this.params;
    const generation = ++this.generation;
    this.device = { userId: credentials.userId, deviceId: credentials.deviceId };
    const stores = await openSessionStores(credentials, storageKey);
    // The list saved by the last session on this device is shown while the client starts.
    void stores.roomList
      .load()
      .then((rooms) => {
        if (rooms && this.generation === generation) store.getState().showCachedRooms(rooms);
      })
      .catch((err: Error) => console.warn(`[session] saved room list unreadable: ${err.message}`));
    // A saved session keeps the newest tokens: the old refresh token stops working once the new
    // access token is used, so a restart must find the new pair.
    let latest = credentials;
    let saving: Promise<void> = Promise.resolve();
    const keepSaved = opts.persist || opts.saved === true;
    const client = await manager.start(credentials, {
      storageKey,
      ...(opts.persistent === false ? { persistent: false } : {}),
      onTokensRefreshed: async (next) => {
        latest = next;
        if (!keepSaved || this.generation !== generation) return;
        saving = saving
          .then(() => saveSession(platform.secrets, { credentials: next, storageKey }))
          .catch((err: Error) =>
            console.warn(`[session] renewed tokens not saved: ${err.message}`),
          );
        await saving;
      },
    });
    if (opts.persist) {
      saving = saving.then(() =>
        saveSession(platform.secrets, { credentials: latest, storageKey }),
      );
      await saving;
    }
    this.root = await SessionRoot.start({
      client,
      stores,
      platform,
      store,
      describeNotification: this.params.describeNotification,
      verification: this.verification,
      onServerLoggedOut: () => void this.logout({ serverAlreadyForgot: true }),
    });
    if (opts.freshLogin) void reportLogin(client);

    const { userId, deviceId, homeserverUrl } = credentials;
    store.getState().setSignedIn({ userId, deviceId, homeserverUrl, displayName: null });
    client
      .getProfileInfo(userId)
      .then((p) => store.getState().setDisplayName(p.displayname ?? null))
      .catch(() => undefined);
    void this.encryption.afterSignIn(client, opts.freshLogin ?? false, opts.password);
  }

  /**
   * Sets a new account password (我的 → 修改密码, or the first-login form); a first login's key
   * setup, waiting for it, then goes on.
   * @throws the server's refusal (see `passwordChangeProblem`).
   */
  changePassword(passwords: { current: string; next: string }): Promise<void> {
    return this.encryption.changePassword(passwords);
  }

  /** New device: unlock with the recovery key or passphrase and restore history from the key backup. */
  recover(secret: RecoverySecret): Promise<void> {
    return this.encryption.recover(secret);
  }

  /** Replaces the recovery key with one derived from a passphrase; shows the new key once. */
  setPassphrase(passphrase: string): Promise<void> {
    return this.encryption.setPassphrase(passphrase);
  }

  /**
   * Signs out: the server deletes the device, then every local trace goes: crypto store, sync
   * cache, outbox, saved session and (web) the vault key.
   */
  async logout(opts: { serverAlreadyForgot?: boolean } = {}): Promise<void> {
    this.loggingOut ??= this.doLogout(opts).finally(() => {
      this.loggingOut = null;
    });
    return this.loggingOut;
  }

  private async doLogout(opts: { serverAlreadyForgot?: boolean }): Promise<void> {
    const { manager, platform, store } = this.params;
    this.generation++;
    // Everything the session started stops first: binders, outbox, circulars and running fan-outs.
    this.root?.stop();
    this.verification.dispose();
    const device = this.device;
    this.device = null;
    // The signed-in UI goes first, so nothing renders against a client that is being torn down.
    store.getState().clearRooms();
    store.getState().clearChat();
    store.getState().clearOrg();
    store.getState().setSignedOut();
    this.root = null;
    let error: unknown = null;
    // Key uploads of a first login still running would re-register keys for the device being
    // deleted: let them finish (their result is discarded with the device).
    await this.encryption.settled();
    try {
      // Signed out by the server (device deleted elsewhere): the local stores go all the same.
      if (opts.serverAlreadyForgot) await manager.forgetLocally();
      else await manager.logout();
    } catch (err) {
      error = err;
    }
    // The outbox, fan-outs in progress and the room list are kept per device; a signed-out device
    // keeps none.
    if (device) await deleteSessionStores(device);
    await clearSession(platform.secrets).catch(() => undefined);
    await platform.wipeLocalSecrets().catch(() => undefined);
    if (error)
      console.warn(
        `[session] server sign-out failed; local data was deleted: ${(error as Error).message}`,
      );
  }
}
