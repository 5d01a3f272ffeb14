import type { MatrixClient } from 'matrix-js-sdk';
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';
import type { ClientManager } from '../matrix/client-manager';
import {
  getEncryptionStatus,
  recoverWithSecret,
  setRecoveryPassphrase,
  setUpEncryption,
  type RecoverySecret,
} from '../matrix/crypto-setup';
import { waitForFirstSync } from '../matrix/wait-for';
import { changeAccountPassword, hasInitialPassword } from '../account/change-password';

/**
 * A session's end-to-end encryption as the user meets it: the key setup after a first sign-in
 * (after the initial password is replaced, if an administrator set it), recovery on a new device,
 * and the recovery passphrase. Writes what the encryption panel shows to the store.
 */
export class SessionEncryption {
  /** First-login key setup (cross-signing, secret storage, backup) while it runs. */
  private setup: Promise<unknown> | null = null;
  /** A first login waiting for the initial password to be replaced: resolves with the new one. */
  private passwordChanged: ((password: string) => void) | null = null;

  constructor(
    private readonly params: {
      manager: ClientManager;
      store: StoreApi<AppState>;
      /** The session is being signed out: nothing more is set up for its device. */
      signingOut(): boolean;
    },
  ) {}

  /** After the first sync: set up encryption on a first login, or ask a new device to verify. */
  async afterSignIn(
    client: MatrixClient,
    freshLogin: boolean,
    password: string | undefined,
  ): Promise<void> {
    const { store, manager } = this.params;
    try {
      await waitForFirstSync(client, 120_000);
      let status = await getEncryptionStatus(client);
      // An initial password (set by an administrator) is replaced before the encryption identity
      // and recovery key exist; a session restored while the change was pending asks again.
      const initialPassword = status === 'needs-setup' && (await hasInitialPassword(client));
      if (status === 'needs-setup' && (freshLogin || initialPassword)) {
        // Signed out while the first sync ran: set nothing up for a device that is going away.
        if (this.params.signingOut() || manager.client !== client) return;
        if (initialPassword) {
          store.getState().setEncryption({ status, passwordRequired: true });
          password = await new Promise<string>((resolve) => {
            this.passwordChanged = resolve;
          });
          if (this.params.signingOut() || manager.client !== client) return;
        }
        store.getState().setEncryption({ status, busy: true });
        const setup = setUpEncryption({ client, keyCache: manager.keyCache, password });
        this.setup = setup;
        const { recoveryKey } = await setup.finally(() => {
          this.setup = null;
        });
        // Signed out meanwhile: the key is of no use, and the signed-in screen is gone.
        if (this.params.signingOut() || manager.client !== client) return;
        status = 'ready';
        store.getState().setEncryption({ recoveryKey });
      }
      store.getState().setEncryption({ status, busy: false, error: null });
    } catch (err) {
      store.getState().setEncryption({ busy: false, error: (err as Error).message });
    }
  }

  /**
   * Sets a new account password (我的 → 修改密码, or the first-login form); a first login's key
   * setup, waiting for it, then goes on.
   * @throws the server's refusal (see `passwordChangeProblem`).
   */
  async changePassword(passwords: { current: string; next: string }): Promise<void> {
    const client = this.params.manager.client;
    if (!client) throw new Error('signed out');
    await changeAccountPassword(client, passwords);
    this.params.store.getState().setEncryption({ passwordRequired: false });
    const waiting = this.passwordChanged;
    this.passwordChanged = null;
    waiting?.(passwords.next);
  }

  /** New device: unlock with the recovery key or passphrase and restore history from the key backup. */
  async recover(secret: RecoverySecret): Promise<void> {
    const { manager, store } = this.params;
    const client = manager.client;
    if (!client) return;
    store.getState().setEncryption({ busy: true, error: null });
    try {
      await recoverWithSecret({ client, keyCache: manager.keyCache, secret });
      store.getState().setEncryption({ status: 'ready', busy: false });
    } catch (err) {
      store.getState().setEncryption({ busy: false, error: (err as Error).message });
    }
  }

  /** Replaces the recovery key with one derived from a passphrase; shows the new key once. */
  async setPassphrase(passphrase: string): Promise<void> {
    const { manager, store } = this.params;
    const client = manager.client;
    if (!client) return;
    store.getState().setEncryption({ busy: true, error: null });
    try {
      const { recoveryKey } = await setRecoveryPassphrase({
        client,
        keyCache: manager.keyCache,
        passphrase,
      });
      store.getState().setEncryption({ busy: false, recoveryKey });
    } catch (err) {
      store.getState().setEncryption({ busy: false, error: (err as Error).message });
    }
  }

  /** Resolves once a first login's key uploads have finished, whatever their result. */
  async settled(): Promise<void> {
    await this.setup?.catch(() => undefined);
  }
}
