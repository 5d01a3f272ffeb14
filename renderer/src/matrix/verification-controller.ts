import type { MatrixClient } from 'matrix-js-sdk';
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';
import type { ClientManager } from './client-manager';
import { getEncryptionStatus, restoreBackupAfterVerification } from './crypto-setup';
import { onIncomingVerification, SasVerification } from './verification';
import type { SasState } from '../store/chat-slice';

/**
 * The one emoji (SAS) verification the app runs at a time, incoming or started here, reported to
 * the store as plain {@link SasState} snapshots.
 */
export class VerificationController {
  private current: SasVerification | null = null;

  constructor(
    private readonly manager: ClientManager,
    private readonly store: StoreApi<AppState>,
  ) {}

  /** Answers verification requests other devices and users send; returns the unbinder. */
  bindIncoming(client: MatrixClient): () => void {
    return onIncomingVerification(client, (request) => {
      this.current?.dispose();
      this.current = SasVerification.incoming(request, (state) => this.onVerificationState(state));
    });
  }

  /** Drops the verification in progress (sign-out). */
  dispose(): void {
    this.current?.dispose();
    this.current = null;
  }

  /** Starts an emoji verification of this device with the user's other devices. */
  async verifyThisDevice(): Promise<void> {
    const client = this.manager.client;
    if (!client) return;
    this.current?.dispose();
    this.current = await SasVerification.requestOwnDevice(client, (state) =>
      this.onVerificationState(state),
    );
  }

  /** Asks another user (in a room shared with them) to verify each other by emoji. */
  async verifyUser(userId: string, roomId: string): Promise<void> {
    const client = this.manager.client;
    if (!client) return;
    this.current?.dispose();
    this.current = await SasVerification.requestUser(client, userId, roomId, (state) =>
      this.onVerificationState(state),
    );
  }

  /** The user's answer in the verification dialog. */
  async action(action: 'accept' | 'confirm' | 'mismatch' | 'cancel' | 'close'): Promise<void> {
    const v = this.current;
    if (action === 'close' || !v) {
      this.current?.dispose();
      this.current = null;
      this.store.getState().setVerification(null);
      return;
    }
    try {
      if (action === 'accept') await v.accept();
      else if (action === 'confirm') await v.confirm();
      else if (action === 'mismatch') v.mismatch();
      else await v.cancel();
    } catch (err) {
      this.store
        .getState()
        .setVerification({ ...v.current, phase: 'cancelled', reason: (err as Error).message });
    }
  }

  private onVerificationState(state: SasState): void {
    this.store.getState().setVerification(state);
    if (state.phase === 'done' && state.otherUserId === this.manager.client?.getUserId())
      void this.afterVerification();
  }

  /** After a SAS verification with another device completed. */
  async afterVerification(): Promise<void> {
    const client = this.manager.client;
    if (!client) return;
    await restoreBackupAfterVerification(client).catch(() => null);
    this.store.getState().setEncryption({ status: await getEncryptionStatus(client) });
  }
}
