import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';
import type { TimelineItem } from './timeline-items';
import type { OutboxItem } from './outbox-item';

/**
 * Where this device stands with end-to-end encryption:
 * - `ready`: cross-signing is set up and this device is trusted by it;
 * - `needs-setup`: the account has no cross-signing keys yet (first login ever);
 * - `needs-verification`: the account has keys but this new device is not yet trusted: verify it
 *   from another device or enter the recovery key.
 */
export type EncryptionStatus = 'ready' | 'needs-setup' | 'needs-verification';

/** What the user sees of an emoji (SAS) verification, as plain data. */
export interface SasState {
  phase: 'incoming' | 'waiting' | 'compare' | 'done' | 'cancelled';
  /** The other side: a user ID, plus the device when verifying one's own device. */
  otherUserId: string;
  otherDeviceId: string | null;
  /** Seven emoji with their English names, to compare with the other device. */
  emoji: Array<[string, string]>;
  reason?: string;
}

/** The open conversation's rows, as plain data. */
export interface TimelineState {
  roomId: string;
  items: TimelineItem[];
  /** More history exists on the server. */
  canPaginate: boolean;
  paginating: boolean;
}

/** What the encryption panel shows. */
export interface EncryptionUiState {
  status: EncryptionStatus | 'unknown';
  /** Shown once after setup, then cleared when the user confirms they saved it. */
  recoveryKey: string | null;
  busy: boolean;
  error: string | null;
  /**
   * The account still has the password an administrator set: a new one must be chosen before the
   * first login creates the encryption identity.
   */
  passwordRequired: boolean;
}

/** Chat state: open room, its timeline, the outbox, encryption status. IDs and plain data only. */
export interface ChatSlice {
  activeRoomId: string | null;
  timeline: TimelineState | null;
  outbox: OutboxItem[];
  encryption: EncryptionUiState;
  /** Rooms the user muted (push rule `dont_notify`), by ID. */
  mutedRooms: Record<string, true>;
  /** The emoji verification in progress, if any. */
  verification: SasState | null;
  setVerification(state: SasState | null): void;
  setActiveRoom(roomId: string | null): void;
  setTimeline(timeline: TimelineState | null): void;
  setOutbox(items: OutboxItem[]): void;
  setEncryption(patch: Partial<EncryptionUiState>): void;
  setMutedRooms(ids: string[]): void;
  clearChat(): void;
}

const INITIAL_ENCRYPTION: EncryptionUiState = {
  status: 'unknown',
  recoveryKey: null,
  busy: false,
  error: null,
  passwordRequired: false,
};

/** The chat state of a signed-out app, which sign-out returns to. */
const INITIAL_CHAT = {
  activeRoomId: null,
  timeline: null,
  outbox: [],
  encryption: INITIAL_ENCRYPTION,
  mutedRooms: {},
  verification: null,
} satisfies Partial<ChatSlice>;

export const createChatSlice: StateCreator<AppState, [], [], ChatSlice> = (set) => ({
  ...INITIAL_CHAT,
  setVerification: (verification) => set({ verification }),
  setActiveRoom: (activeRoomId) => set({ activeRoomId }),
  setTimeline: (timeline) => set({ timeline }),
  setOutbox: (outbox) => set({ outbox }),
  setEncryption: (patch) => set((s) => ({ encryption: { ...s.encryption, ...patch } })),
  setMutedRooms: (ids) =>
    set({ mutedRooms: Object.fromEntries(ids.map((id) => [id, true as const])) }),
  clearChat: () => set(INITIAL_CHAT),
});

/** Outbox items of one room, oldest first. */
export function selectRoomOutbox(state: Pick<ChatSlice, 'outbox'>, roomId: string): OutboxItem[] {
  return state.outbox.filter((i) => i.roomId === roomId);
}
