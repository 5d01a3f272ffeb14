import type { MatrixClient } from 'matrix-js-sdk';
import {
  CryptoEvent,
  VerificationPhase,
  VerificationRequestEvent,
  VerifierEvent,
  type ShowSasCallbacks,
  type VerificationRequest,
  type Verifier,
} from 'matrix-js-sdk/lib/crypto-api/index.js';
import { listen } from './listen';
import type { SasState } from '../store/chat-slice';

/**
 * One SAS verification, initiated here or received. Wraps the SDK's request and verifier objects
 * and reports plain {@link SasState} snapshots; the UI calls `accept`, `confirm`, `mismatch`, `cancel`.
 */
export class SasVerification {
  private sas: ShowSasCallbacks | null = null;
  private verifier: Verifier | null = null;
  private state: SasState;
  /** Removes this verification's listeners (the request's, then the verifier's). */
  private readonly unlisten: (() => void)[] = [];

  private constructor(
    private readonly request: VerificationRequest,
    private readonly onChange: (state: SasState) => void,
    incoming: boolean,
  ) {
    this.state = {
      phase: incoming ? 'incoming' : 'waiting',
      otherUserId: request.otherUserId,
      otherDeviceId: request.otherDeviceId ?? null,
      emoji: [],
    };
    this.unlisten.push(listen(request, VerificationRequestEvent.Change, this.onRequestChange));
    this.emit();
  }

  /** Asks the user's other devices to verify this one (the new-device flow). */
  static async requestOwnDevice(
    client: MatrixClient,
    onChange: (s: SasState) => void,
  ): Promise<SasVerification> {
    const crypto = client.getCrypto();
    if (!crypto) throw new Error('end-to-end encryption is not initialised');
    return new SasVerification(await crypto.requestOwnUserVerification(), onChange, false);
  }

  /** Asks another user to verify (in a DM with them). */
  static async requestUser(
    client: MatrixClient,
    userId: string,
    roomId: string,
    onChange: (s: SasState) => void,
  ): Promise<SasVerification> {
    const crypto = client.getCrypto();
    if (!crypto) throw new Error('end-to-end encryption is not initialised');
    return new SasVerification(await crypto.requestVerificationDM(userId, roomId), onChange, false);
  }

  /** Wraps a request another device sent us. */
  static incoming(request: VerificationRequest, onChange: (s: SasState) => void): SasVerification {
    return new SasVerification(request, onChange, true);
  }

  /** The current state. */
  get current(): SasState {
    return this.state;
  }

  /** Accepts an incoming request. */
  async accept(): Promise<void> {
    await this.request.accept();
    this.update({ phase: 'waiting' });
  }

  /** The user confirmed the emoji match. */
  async confirm(): Promise<void> {
    await this.sas?.confirm();
  }

  /** The user saw different emoji: cancels with `m.mismatched_sas`. */
  mismatch(): void {
    this.sas?.mismatch();
    this.update({ phase: 'cancelled', reason: 'mismatch' });
  }

  /** Cancels the verification. */
  async cancel(): Promise<void> {
    await this.request.cancel().catch(() => undefined);
    this.dispose();
  }

  /** Removes listeners. */
  dispose(): void {
    for (const unlisten of this.unlisten.splice(0)) unlisten();
  }

  private readonly onRequestChange = () => {
    const req = this.request;
    if (req.phase === VerificationPhase.Cancelled) {
      this.update({ phase: 'cancelled', reason: req.cancellationCode ?? undefined });
      this.dispose();
      return;
    }
    if (req.phase === VerificationPhase.Done) {
      this.update({ phase: 'done' });
      this.dispose();
      return;
    }
    // Whoever did not send the request starts SAS once both sides are ready.
    if (req.phase === VerificationPhase.Ready && req.initiatedByMe && !this.verifier) {
      void req.startVerification('m.sas.v1').then(
        (v) => this.attach(v),
        () => undefined,
      );
    }
    if (req.phase === VerificationPhase.Started && req.verifier && !this.verifier)
      this.attach(req.verifier);
  };

  private attach(verifier: Verifier): void {
    if (this.verifier) return;
    this.verifier = verifier;
    this.unlisten.push(listen(verifier, VerifierEvent.ShowSas, this.onShowSas));
    const existing = verifier.getShowSasCallbacks();
    if (existing) this.onShowSas(existing);
    verifier.verify().then(
      () => this.update({ phase: 'done' }),
      (err: Error) => this.update({ phase: 'cancelled', reason: err.message }),
    );
  }

  private readonly onShowSas = (sas: ShowSasCallbacks) => {
    this.sas = sas;
    this.update({ phase: 'compare', emoji: sas.sas.emoji ?? [] });
  };

  private update(patch: Partial<SasState>): void {
    if (this.state.phase === 'done' && patch.phase !== undefined && patch.phase !== 'done') return;
    this.state = { ...this.state, ...patch };
    this.emit();
  }

  private emit(): void {
    this.onChange(this.state);
  }
}

/** Calls `listener` for every verification request another device or user sends us. */
export function onIncomingVerification(
  client: MatrixClient,
  listener: (request: VerificationRequest) => void,
): () => void {
  const handler = (request: VerificationRequest) => {
    if (!request.initiatedByMe) listener(request);
  };
  return listen(client, CryptoEvent.VerificationRequestReceived, handler);
}

/** A user's devices with their verification state, as plain data. */
export interface DeviceView {
  deviceId: string;
  displayName: string;
  verified: boolean;
}

/** Lists a user's devices, flagging those not verified by cross-signing. */
export async function listDevices(client: MatrixClient, userId: string): Promise<DeviceView[]> {
  const crypto = client.getCrypto();
  if (!crypto) return [];
  const map = await crypto.getUserDeviceInfo([userId], true);
  const devices = [...(map.get(userId)?.values() ?? [])];
  return Promise.all(
    devices.map(async (d) => ({
      deviceId: d.deviceId,
      displayName: d.displayName ?? d.deviceId,
      verified:
        (await crypto.getDeviceVerificationStatus(userId, d.deviceId))?.crossSigningVerified ??
        false,
    })),
  );
}
