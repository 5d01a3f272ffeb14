import type { StateCreator } from 'zustand';
import type { CircularAggregate, RecipientStatusKind } from '../../../shared/circular/aggregate';
import type { FanOutProgress } from '../../../shared/circular/fan-out';
import type { UntrustedReason } from '../../../shared/circular/origin';
import type { Circular } from '../../../shared/circular/types';
import type { AppState } from './app-store';

/** One circular copy the signed-in user received, with their own status. */
export interface InboxEntry {
  roomId: string;
  eventId: string;
  senderId: string;
  /** The sender's display name in the room (their member event), if they set one. */
  senderName?: string;
  /** Server timestamp of the copy, ms. */
  ts: number;
  circular: Circular;
  status: RecipientStatusKind;
  ackedAt?: number;
  ackNote?: string;
  /** The acknowledgment is queued (offline or not yet accepted by the server). */
  ackQueued: boolean;
}

/**
 * A copy that reached this device but cannot be decrypted yet: it was sent before the device
 * existed, and its key is being obtained from a device of the issuing unit (key grants).
 */
export interface AwaitingKeyEntry {
  /** A circular (listed in the inbox), or a work-room message (shown in its timeline only). */
  kind: 'circular' | 'chat';
  roomId: string;
  eventId: string;
  senderId: string;
  ts: number;
  unitCode: string;
  /** Why a granter refused, if one did (`unverified_device`: verify this device first). */
  refused?: string;
}

/** A circular-shaped message that is not a trustworthy circular: shown as a plain message with a warning. */
export interface InvalidCircularEntry {
  roomId: string;
  eventId: string;
  senderId: string;
  /** The display name the sender claims in the room, if any. */
  senderName?: string;
  ts: number;
  kind: 'malformed' | 'unauthorised' | UntrustedReason;
  /** What is wrong (JSON pointers of the bad fields, the sender's power level, the unit claimed). */
  detail: string;
  /** Title and claimed issue time of a well-formed but untrusted circular. */
  claimed?: { title: string; issuedAt: number; issuingUnit: string };
  /** The plain-text fallback body, shown as is. */
  body: string;
}

/** A circular the signed-in user issued, as seen from their rooms and their fan-out store. */
export interface IssuedEntry {
  circularId: string;
  title: string;
  issuedAt: number;
  circular?: Circular;
  /** Copies found so far: room, event and unit. */
  copies: { roomId: string; eventId: string; unitCode: string }[];
  /** Progress of a fan-out this device ran (absent for circulars sent elsewhere). */
  progress?: FanOutProgress;
}

/** One reminder (催办) round of a circular. */
export interface ReminderRecord {
  at: number;
  rooms: number;
  users: number;
}

/** The open dashboard's figures (plain data, recomputed live by the binder). */
export interface DashboardState {
  circularId: string;
  /** With `awaitingKey`, the people waiting for the key (待密钥), once known. */
  aggregate: (CircularAggregate & { awaitingKey?: number }) | null;
  updatedAt: number;
  loading: boolean;
  error: string | null;
}

/** What the circulars view shows. */
export type CircularsPanel =
  | { kind: 'inbox' }
  | { kind: 'view'; roomId: string; eventId: string }
  | { kind: 'compose' }
  | { kind: 'issued' }
  | { kind: 'dashboard'; circularId: string };

/** Circulars: the inbox, what the user issued, the open dashboard. IDs and plain data only. */
export interface CircularsSlice {
  circularInbox: InboxEntry[];
  invalidCirculars: InvalidCircularEntry[];
  /** Copies waiting for their key on this device, oldest first. */
  awaitingKeys: AwaitingKeyEntry[];
  issuedCirculars: IssuedEntry[];
  /** Acks made on this device, by copy event id: shown at once, whatever the network does. */
  localAcks: Record<string, { ackedAt: number; note?: string }>;
  reminders: Record<string, ReminderRecord[]>;
  dashboard: DashboardState | null;
  circularsPanel: CircularsPanel;
  setCircularInbox(entries: InboxEntry[], invalid: InvalidCircularEntry[]): void;
  setIssuedCirculars(entries: IssuedEntry[]): void;
  setAwaitingKeys(entries: AwaitingKeyEntry[]): void;
  setFanOutProgress(circularId: string, progress: FanOutProgress): void;
  addLocalAck(eventId: string, ack: { ackedAt: number; note?: string }): void;
  setReminders(reminders: Record<string, ReminderRecord[]>): void;
  setDashboard(dashboard: DashboardState | null): void;
  setCircularsPanel(panel: CircularsPanel): void;
  clearCirculars(): void;
}

/** The slice's data before sign-in and after sign-out. */
const EMPTY_CIRCULARS = {
  circularInbox: [],
  invalidCirculars: [],
  awaitingKeys: [],
  issuedCirculars: [],
  localAcks: {},
  reminders: {},
  dashboard: null,
  circularsPanel: { kind: 'inbox' },
} satisfies Partial<CircularsSlice>;

export const createCircularsSlice: StateCreator<AppState, [], [], CircularsSlice> = (set) => ({
  ...EMPTY_CIRCULARS,
  setCircularInbox: (circularInbox, invalidCirculars) => set({ circularInbox, invalidCirculars }),
  setIssuedCirculars: (issuedCirculars) => set({ issuedCirculars }),
  setAwaitingKeys: (awaitingKeys) =>
    set((s) =>
      JSON.stringify(s.awaitingKeys) === JSON.stringify(awaitingKeys) ? s : { awaitingKeys },
    ),
  setFanOutProgress: (circularId, progress) =>
    set((s) => ({
      issuedCirculars: s.issuedCirculars.map((e) =>
        e.circularId === circularId ? { ...e, progress } : e,
      ),
    })),
  addLocalAck: (eventId, ack) => set((s) => ({ localAcks: { ...s.localAcks, [eventId]: ack } })),
  setReminders: (reminders) => set({ reminders }),
  setDashboard: (dashboard) => set({ dashboard }),
  setCircularsPanel: (circularsPanel) => set({ circularsPanel }),
  clearCirculars: () => set(EMPTY_CIRCULARS),
});
