import {
  EventTimeline,
  MatrixEventEvent,
  RoomEvent,
  type MatrixClient,
  type MatrixEvent,
  type Room,
} from 'matrix-js-sdk';
import { roomCreatorOf } from './room-creator';
import { listen, unsubscribeAll } from './listen';
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';
import { toTimelineItems, type TimelineContext } from './timeline-model';
import { isNoticeRoom } from './unit-room';
import type { OrgView } from '../../../shared/org/org-view';
import type { NoticeRoomFlag } from '../../../shared/circular/origin';

/**
 * Flags a message in a notice room (docs/trust.md). The circulars feature judges circulars, so it
 * is passed in by whoever opens the timeline: the adapter knows no feature.
 */
export type NoticeFlagger = (
  room: Room,
  event: MatrixEvent,
  org: OrgView | null,
  serviceAccount: string | undefined,
) => NoticeRoomFlag | undefined;

/**
 * The events a read receipt may cover. A receipt means "read up to here", and in a notice room it
 * is what counts a circular as 已读: so there it stops before the first message from someone else
 * that this device has not decrypted (a circular still waiting for its key is not read).
 */
function readableEvents(room: Room, me: string | null): MatrixEvent[] {
  const events = room.getLiveTimeline().getEvents();
  if (!isNoticeRoom(room)) return events;
  const locked = events.findIndex(
    (e) => e.getSender() !== me && (e.isDecryptionFailure() || e.getType() === 'm.room.encrypted'),
  );
  return locked < 0 ? events : events.slice(0, locked);
}

/**
 * What mapping a room's events to rows needs: names, the provisioning account of a managed room
 * (which speaks for the unit), and in a notice room the flag of each message (docs/trust.md).
 */
export function timelineContextOf(
  client: MatrixClient,
  room: Room,
  org: OrgView | null,
  { flagOf, clearTypes }: { flagOf?: NoticeFlagger; clearTypes?: ReadonlyMap<string, string> } = {},
): TimelineContext {
  const unitCode = org?.unitByRoom[room.roomId];
  const serviceAccount = unitCode === undefined ? undefined : roomCreatorOf(room);
  const unitName = org?.units.find((u) => u.code === unitCode)?.name;
  return {
    myUserId: client.getSafeUserId(),
    nameOf: (u: string) =>
      u === serviceAccount && unitName ? unitName : (room.getMember(u)?.name ?? u),
    clearTypeOf: (id: string) => clearTypes?.get(id),
    ...(serviceAccount ? { serviceAccount } : {}),
    ...(flagOf && isNoticeRoom(room)
      ? { flagOf: (e: MatrixEvent) => flagOf(room, e, org, serviceAccount) }
      : {}),
  };
}

/** How many events one back-pagination asks for. */
export const PAGE_SIZE = 50;

/** Decrypted types of encrypted events, per room, remembered for after a redaction (see TimelineContext). */
const clearTypes = new WeakMap<Room, Map<string, string>>();
/** The flagger the open room was bound with, so a page loaded later is flagged alike. */
const flaggers = new WeakMap<Room, NoticeFlagger>();

function snapshot(
  client: MatrixClient,
  room: Room,
  store: StoreApi<AppState>,
  extra: { paginating?: boolean } = {},
) {
  const flagOf = flaggers.get(room);
  const timeline = room.getLiveTimeline();
  const types = clearTypes.get(room) ?? new Map<string, string>();
  clearTypes.set(room, types);
  for (const e of timeline.getEvents()) {
    const id = e.getId();
    if (id && e.isEncrypted() && !e.isRedacted() && !e.isDecryptionFailure() && !types.has(id))
      types.set(id, e.getType());
  }
  const ctx = timelineContextOf(client, room, store.getState().org, {
    ...(flagOf ? { flagOf } : {}),
    clearTypes: types,
  });
  store.getState().setTimeline({
    roomId: room.roomId,
    items: toTimelineItems(timeline.getEvents(), ctx),
    canPaginate: !!timeline.getPaginationToken(EventTimeline.BACKWARDS),
    paginating: extra.paginating ?? store.getState().timeline?.paginating ?? false,
  });
}

/**
 * Mirrors the open room's live timeline into the store as rows, and marks it read as new events
 * arrive. Rebuilds are coalesced so a burst of events (or of decryptions after a key backup
 * restore) costs one rebuild. `flagOf` flags the messages of a notice room. Returns the function
 * that removes every listener.
 */
export function bindTimeline(
  client: MatrixClient,
  roomId: string,
  store: StoreApi<AppState>,
  flagOf?: NoticeFlagger,
): () => void {
  const room = client.getRoom(roomId);
  if (!room) {
    store.getState().setTimeline(null);
    return () => undefined;
  }
  if (flagOf) flaggers.set(room, flagOf);
  else flaggers.delete(room);
  let scheduled = false;
  let lastReceipted: string | null = null;
  const rebuild = () => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      if (store.getState().activeRoomId !== roomId) return;
      snapshot(client, room, store);
      markRead();
    }, 16);
  };
  const markRead = () => {
    const events = readableEvents(room, client.getUserId());
    const last = [...events]
      .reverse()
      .find((e) => e.getId()?.startsWith('$') && e.getSender() !== client.getUserId());
    const id = last?.getId();
    if (!last || !id || id === lastReceipted) return;
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    lastReceipted = id;
    client.sendReadReceipt(last).catch(() => {
      lastReceipted = null;
    });
  };
  const onTimeline = (_e: MatrixEvent, r: Room | undefined) => {
    if (r?.roomId === roomId) rebuild();
  };
  const onDecrypted = (e: MatrixEvent) => {
    if (e.getRoomId() === roomId) rebuild();
  };
  const onRoomChange = (_a: unknown, r?: Room) => {
    if (!r || r.roomId === roomId) rebuild();
  };
  const unsubscribe = unsubscribeAll([
    listen(client, RoomEvent.Timeline, onTimeline),
    listen(client, MatrixEventEvent.Decrypted, onDecrypted),
    listen(room, RoomEvent.Redaction, rebuild),
    listen(room, RoomEvent.LocalEchoUpdated, rebuild),
    listen(room, RoomEvent.TimelineReset, rebuild),
    listen(client, RoomEvent.Receipt, onRoomChange),
  ]);
  snapshot(client, room, store, { paginating: false });
  markRead();
  return unsubscribe;
}

/** Loads one page of older history into the open room's timeline. */
export async function paginateBack(
  client: MatrixClient,
  roomId: string,
  store: StoreApi<AppState>,
): Promise<void> {
  const room = client.getRoom(roomId);
  const current = store.getState().timeline;
  if (!room || !current || current.paginating || !current.canPaginate) return;
  store.getState().setTimeline({ ...current, paginating: true });
  try {
    await client.paginateEventTimeline(room.getLiveTimeline(), {
      backwards: true,
      limit: PAGE_SIZE,
    });
  } finally {
    if (store.getState().activeRoomId === roomId)
      snapshot(client, room, store, { paginating: false });
  }
}
