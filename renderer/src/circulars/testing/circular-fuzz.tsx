/**
 * Feeds hostile circular and ack events through what a client does with them: the SDK's room
 * timeline, `scanCirculars` (parsing, trust), the inbox view under a DOM, and `aggregateCircular`.
 * A batch is checked against a notice room holding one good circular with three good acks; the
 * hostile events must crash nothing, show as untrusted with a reason (or, when still well-formed,
 * as inert text), and leave the dashboard totals as the good events alone make them. Needs a DOM
 * (jsdom in tests; the benchmark installs one).
 */
import type { OrgView } from '../../../../shared/org/org-view';
import { cleanup, render } from '@testing-library/react';
import type { i18n as I18n } from 'i18next';
import { createClient, MatrixEvent, Room } from 'matrix-js-sdk';
import type { MatrixClient } from 'matrix-js-sdk';
import { I18nextProvider } from 'react-i18next';
import { buildAckContent } from '../../../../shared/circular/ack';
import { aggregateCircular } from '../../../../shared/circular/aggregate';
import type { AckEventInput, StatusCounts } from '../../../../shared/circular/aggregate';
import { buildCircularContent, parseCircular } from '../../../../shared/circular/circular-content';
import { circularDigest } from '../../../../shared/circular/content-digest';
import { sampleCircular, SAMPLE_CIRCULAR_ID } from '../../../../shared/circular/test-fixtures';
import { ACK_EVENT, UNIT_ROOM_STATE_EVENT } from '../../../../shared/matrix-types';
import { createAppI18n } from '../../app-i18n';
import { createAppStore } from '../../store/app-store';
import { StoreProvider } from '../../store/store-context';
import { InboxList } from '../inbox-list';
import { scanCirculars } from '../scan-circulars';
import type { HostileEvent } from './malformed-events';

const DIGEST = circularDigest(sampleCircular());

const ROOM = '!notice:fuzz';
const ME = '@me:fuzz';
const ISSUER = '@issuer:fuzz';
const COPY = '$copy';
const RECIPIENTS = [ME, '@r1:fuzz', '@r2:fuzz', '@r3:fuzz'];
/** Good acks: these three count, the fourth recipient has not acknowledged. */
const GOOD_ACKERS = [ME, '@r1:fuzz', '@r2:fuzz'];
/** Senders of hostile acks: someone outside the room, and recipients who already acknowledged. */
const HOSTILE_ACKERS = ['@stranger:fuzz', '@r1:fuzz', ME];
/** Elements and attributes no event text may ever produce. */
const ACTIVE_CONTENT =
  'script, iframe, object, embed, img, svg, style, form, a[href^="javascript:"]';

/** Event ID of the copy the hostile acks aim at. */
export const FUZZ_COPY_EVENT_ID = COPY;

/** Outcome of one batch. */
export interface FuzzBatchResult {
  events: number;
  crashes: number;
  /** What went wrong beyond crashes (an event not shown as untrusted, totals that moved, …). */
  failures: string[];
  /** Hostile circulars shown as untrusted, with their reason. */
  untrusted: number;
  /** Hostile circulars still well-formed (HTML in a text field, say), shown as inert text. */
  inert: number;
  /** Hostile acks the aggregation set aside (invalid with a reason, or duplicates). */
  acksSetAside: number;
}

type Counts = Pick<FuzzBatchResult, 'untrusted' | 'inert' | 'acksSetAside'>;

const stateEvent = (type: string, stateKey: string, content: object, ts = 1): MatrixEvent =>
  new MatrixEvent({
    type,
    state_key: stateKey,
    content,
    sender: ISSUER,
    room_id: ROOM,
    event_id: `$state-${type}-${stateKey}`,
    origin_server_ts: ts,
  });

const timelineEvent = (
  eventId: string,
  type: string,
  sender: string,
  content: object,
  ts: number,
): MatrixEvent =>
  new MatrixEvent({
    type,
    content,
    sender,
    room_id: ROOM,
    event_id: eventId,
    origin_server_ts: ts,
  });

/**
 * The org as a recipient of the notice room sees it: the room is the unit's managed notice room, and
 * the issuer (no record in the unit, at the issuers' level) issues for a higher unit out of sight.
 */
const FUZZ_ORG: OrgView = {
  units: [{ code: '330100', name: '甲市', level: 'city', parentCode: '330000' }],
  roomsByUnit: { '330100': { noticeRoomId: ROOM, departments: [] } },
  unitByRoom: { [ROOM]: '330100' },
  members: [],
  conflicts: [],
  unmanaged: [],
};

/** A client that never connects, holding one notice room with the good circular and acks. */
function offlineNoticeRoom(): { client: MatrixClient; room: Room; good: MatrixEvent[] } {
  const client = createClient({ baseUrl: 'http://127.0.0.1:9', userId: ME, deviceId: 'FUZZ' });
  const room = new Room(ROOM, client, ME);
  room.currentState.setStateEvents([
    stateEvent('m.room.create', '', { room_version: '11' }),
    ...[ISSUER, ...RECIPIENTS].map((u) => stateEvent('m.room.member', u, { membership: 'join' })),
    stateEvent('m.room.power_levels', '', {
      users: { [ISSUER]: 50 },
      users_default: 0,
      events_default: 50,
      events: { [ACK_EVENT]: 0 },
    }),
    stateEvent(UNIT_ROOM_STATE_EVENT, '', { kind: 'notice', unitCode: '330100' }),
  ]);
  room.updateMyMembership('join');
  client.store.storeRoom(room);
  const good = [
    timelineEvent(
      COPY,
      'm.room.message',
      ISSUER,
      buildCircularContent({ circular: sampleCircular() }),
      10,
    ),
    ...GOOD_ACKERS.map((u, i) =>
      timelineEvent(
        `$good-ack-${i}`,
        ACK_EVENT,
        u,
        buildAckContent({ circularId: SAMPLE_CIRCULAR_ID, eventId: COPY, contentSha256: DIGEST }),
        20 + i,
      ),
    ),
  ];
  return { client, room, good };
}

function aggregateTotals(room: Room, acks: AckEventInput[]): ReturnType<typeof aggregateCircular> {
  const order = new Map(
    room
      .getLiveTimeline()
      .getEvents()
      .map((e, i) => [e.getId() ?? '', i + 1]),
  );
  return aggregateCircular({
    circular: { ...sampleCircular(), contentSha256: DIGEST },
    copies: [
      {
        roomId: ROOM,
        unitCode: '330100',
        eventId: COPY,
        senderId: ISSUER,
        eventOrder: order,
        memberships: [ISSUER, ...RECIPIENTS].map((userId) => ({
          userId,
          membership: 'join',
          index: 0,
        })),
        receipts: [],
      },
    ],
    acks,
    now: Date.UTC(2025, 5, 2),
  });
}

const ackInput = (e: MatrixEvent): AckEventInput => ({
  eventId: e.getId() ?? '',
  roomId: e.getRoomId() ?? '',
  sender: e.getSender() ?? '',
  ts: e.getTs(),
  content: e.getContent(),
  // Built in memory as if decrypted: the fuzzing is about content, not transport.
  encrypted: true,
});

const sameTotals = (a: StatusCounts, b: StatusCounts): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

/** Runs a batch end to end; any exception is a crash of the whole batch. */
async function runBatch(
  i18n: I18n,
  batch: readonly HostileEvent[],
  offset: number,
  counts: Counts,
): Promise<string[]> {
  const failures: string[] = [];
  const { client, room, good } = offlineNoticeRoom();
  const hostile = batch.map((h, i) =>
    h.kind === 'circular'
      ? timelineEvent(`$hostile-${offset + i}`, 'm.room.message', ISSUER, h.content, 100 + i)
      : timelineEvent(
          `$hostile-${offset + i}`,
          ACK_EVENT,
          HOSTILE_ACKERS[i % HOSTILE_ACKERS.length] ?? ME,
          h.content,
          100 + i,
        ),
  );
  await room.addLiveEvents([...good, ...hostile], { addToState: false });

  // Parsing and trust, as the app's store gets them.
  const scan = scanCirculars(
    client,
    { localAcks: {}, serverAcks: new Map(), outbox: [] },
    FUZZ_ORG,
  );
  const invalidIds = new Set(scan.invalid.map((e) => e.eventId));
  const shownIds = new Set(scan.inbox.map((e) => e.eventId));
  batch.forEach((h, i) => {
    if (h.kind !== 'circular') return;
    const id = `$hostile-${offset + i}`;
    const wellFormed = parseCircular(h.content).ok;
    const shown = wellFormed ? shownIds.has(id) : invalidIds.has(id);
    if (shown) counts[wellFormed ? 'inert' : 'untrusted'] += 1;
    else
      failures.push(
        `${id} (${h.mutations.join(', ')}) is not shown ${wellFormed ? 'in the inbox' : 'as untrusted'}`,
      );
  });
  for (const e of scan.invalid)
    if (e.detail.trim() === '') failures.push(`${e.eventId} is untrusted without a reason`);

  // The inbox view: every untrusted item says why, and no event text becomes markup.
  const store = createAppStore();
  store.getState().setCircularInbox(scan.inbox, scan.invalid);
  const view = render(
    <I18nextProvider i18n={i18n}>
      <StoreProvider store={store}>
        <InboxList onOpen={() => undefined} />
      </StoreProvider>
    </I18nextProvider>,
  );
  try {
    const items = view.container.querySelectorAll('[data-testid="invalid-circular"]');
    if (items.length !== scan.invalid.length)
      failures.push(`${scan.invalid.length} untrusted events but ${items.length} shown`);
    const reasonLabel = i18n.t('circulars.invalid.detail', { detail: '' }).trim();
    for (const item of items)
      if (!item.textContent?.includes(reasonLabel))
        failures.push(`an untrusted item shows no reason: ${item.textContent?.slice(0, 80) ?? ''}`);
    const active = view.container.querySelector(ACTIVE_CONTENT);
    if (active) failures.push(`event text became markup: <${active.tagName.toLowerCase()}>`);
    for (const el of view.container.querySelectorAll('*'))
      for (const attr of el.getAttributeNames())
        if (attr.startsWith('on')) failures.push(`event text became a handler: ${attr}`);
    if ((window as unknown as { __pwned?: number }).__pwned !== undefined)
      failures.push('event text ran as script');
  } finally {
    view.unmount();
    cleanup();
  }

  // The dashboard: hostile acks never count, and each is set aside with a reason.
  const goodAcks = good.filter((e) => e.getType() === ACK_EVENT).map(ackInput);
  const baseline = aggregateTotals(room, goodAcks);
  const hostileAcks = hostile.filter((e) => e.getType() === ACK_EVENT).map(ackInput);
  const withHostile = aggregateTotals(room, [...goodAcks, ...hostileAcks]);
  if (!sameTotals(baseline.totals, withHostile.totals))
    failures.push(
      `dashboard totals moved: ${JSON.stringify(baseline.totals)} → ${JSON.stringify(withHostile.totals)}`,
    );
  const setAside = new Set([
    ...withHostile.invalidAcks.filter((a) => a.detail.trim() !== '').map((a) => a.eventId),
    ...withHostile.duplicateAcks.map((a) => a.eventId),
  ]);
  for (const a of hostileAcks)
    if (setAside.has(a.eventId)) counts.acksSetAside += 1;
    else failures.push(`${a.eventId} is neither invalid nor a duplicate`);
  client.stopClient();
  return failures;
}

function addCounts(into: Counts, c: Counts): void {
  into.untrusted += c.untrusted;
  into.inert += c.inert;
  into.acksSetAside += c.acksSetAside;
}

/** Checks hostile events in batches; a batch that throws is re-run event by event to count crashes. */
export async function fuzzCircularEvents(
  events: readonly HostileEvent[],
  opts: { batchSize?: number; i18n?: I18n } = {},
): Promise<FuzzBatchResult> {
  const i18n = opts.i18n ?? (await createAppI18n('zh-CN'));
  const size = opts.batchSize ?? 100;
  const result: FuzzBatchResult = {
    events: events.length,
    crashes: 0,
    failures: [],
    untrusted: 0,
    inert: 0,
    acksSetAside: 0,
  };
  for (let start = 0; start < events.length; start += size) {
    const batch = events.slice(start, start + size);
    try {
      const counts = { untrusted: 0, inert: 0, acksSetAside: 0 };
      result.failures.push(...(await runBatch(i18n, batch, start, counts)));
      addCounts(result, counts);
    } catch {
      for (const [i, one] of batch.entries()) {
        try {
          const counts = { untrusted: 0, inert: 0, acksSetAside: 0 };
          result.failures.push(...(await runBatch(i18n, [one], start + i, counts)));
          addCounts(result, counts);
        } catch (err) {
          result.crashes += 1;
          result.failures.push(
            `crash on event ${start + i} (${one.mutations.join(', ')}): ${(err as Error).message}`,
          );
        }
      }
    }
  }
  return result;
}
