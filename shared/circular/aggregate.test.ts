import { describe, expect, it } from 'vitest';
import { ACK_EVENT } from '../matrix-types';
import type {
  AckEventInput,
  AggregateInput,
  InvalidAckReason,
  MembershipChange,
  ReceiptInput,
  RecipientStatus,
} from './aggregate';
import { aggregateCircular } from './aggregate';
import { circularDigest } from './content-digest';
import { SAMPLE_CIRCULAR_ID, sampleCircular } from './test-fixtures';

/** The digest of the circular under test, which valid acks carry. */
const DIGEST = circularDigest(sampleCircular());

const OTHER_CIRCULAR_ID = '01J0Z8Y6Q3T9V2M4N5P6R7S8T9';
const ROOM = '!notice-a:gov.example.cn';
const ROOM_B = '!notice-b:gov.example.cn';
const ISSUER = '@issuer:gov.example.cn';
const [ALICE, BOB, CAROL, DAVE] = [
  '@alice:gov.example.cn',
  '@bob:gov.example.cn',
  '@carol:gov.example.cn',
  '@dave:gov.example.cn',
];

const HOUR = 3600_000;
const SENT = Date.UTC(2025, 5, 1, 1, 0);
const DEADLINE = SENT + 48 * HOUR;
const BEFORE_DEADLINE = DEADLINE - HOUR;
const AFTER_DEADLINE = DEADLINE + HOUR;

/** Room A's timeline: the circular is `$circ`, at position 2. */
const ORDER = new Map([
  ['$old', 0],
  ['$before', 1],
  ['$circ', 2],
  ['$after', 3],
  ['$later', 4],
  ['$ack1', 5],
  ['$ack2', 6],
]);

const join = (userId: string, index = 0): MembershipChange => ({
  userId,
  membership: 'join',
  index,
});
const leave = (userId: string, index: number): MembershipChange => ({
  userId,
  membership: 'leave',
  index,
});
const receipt = (userId: string, eventId: string, ts = SENT + HOUR): ReceiptInput => ({
  userId,
  eventId,
  ts,
});

/** An ack event; by default a valid ack of room A's copy. */
function ack(
  sender: string,
  eventId: string,
  ts: number,
  opts: {
    circularId?: string;
    relatesTo?: string;
    roomId?: string;
    note?: string;
    /** `null`: no digest at all. */
    digest?: string | null;
    encrypted?: boolean;
  } = {},
): AckEventInput {
  const body: Record<string, string> = { circularId: opts.circularId ?? SAMPLE_CIRCULAR_ID };
  if (opts.digest !== null) body.contentSha256 = opts.digest ?? DIGEST;
  if (opts.note !== undefined) body.note = opts.note;
  return {
    eventId,
    roomId: opts.roomId ?? ROOM,
    sender,
    ts,
    encrypted: opts.encrypted ?? true,
    content: {
      'm.relates_to': { rel_type: 'm.reference', event_id: opts.relatesTo ?? '$circ' },
      [ACK_EVENT]: body,
    },
  };
}

interface Case {
  category: string;
  name: string;
  /** Membership changes besides the base: issuer, alice, bob, carol joined at position 0. */
  memberships?: MembershipChange[];
  receipts?: ReceiptInput[];
  acks?: AckEventInput[];
  ackRequired?: boolean;
  ackDeadline?: number | null;
  now?: number;
  /** Expected fields per user; `null` means "not a recipient". Users not listed are not checked. */
  expected: Record<string, Partial<RecipientStatus> | null>;
  invalid?: [sender: string, reason: InvalidAckReason][];
  duplicates?: [eventId: string, keptEventId: string][];
}

const CASES: Case[] = [
  // Receipt ordering: "read up to here" at, after or before the circular.
  {
    category: 'receipt ordering',
    name: 'receipt before the circular → unread',
    receipts: [receipt(ALICE, '$before')],
    expected: { [ALICE]: { status: 'unread' } },
  },
  {
    category: 'receipt ordering',
    name: 'receipt at the circular → read',
    receipts: [receipt(ALICE, '$circ', SENT + 5)],
    expected: { [ALICE]: { status: 'read', readAt: SENT + 5 } },
  },
  {
    category: 'receipt ordering',
    name: 'receipt after the circular → read',
    receipts: [receipt(ALICE, '$later', SENT + 9)],
    expected: { [ALICE]: { status: 'read', readAt: SENT + 9 } },
  },
  {
    category: 'receipt ordering',
    name: 'receipt on an event outside the known timeline → unread',
    receipts: [receipt(ALICE, '$ancient')],
    expected: { [ALICE]: { status: 'unread' } },
  },
  {
    category: 'receipt ordering',
    name: 'no receipt at all → unread',
    expected: { [ALICE]: { status: 'unread' }, [BOB]: { status: 'unread' } },
  },
  // Late joiners are not recipients.
  {
    category: 'late joiners',
    name: 'joined after the send → not a recipient, even with a later receipt',
    memberships: [join(DAVE, 3)],
    receipts: [receipt(DAVE, '$later')],
    expected: { [DAVE]: null },
  },
  {
    category: 'late joiners',
    name: 'joined after the send → their ack does not count',
    memberships: [join(DAVE, 3)],
    acks: [ack(DAVE, '$ack1', SENT + HOUR)],
    expected: { [DAVE]: null },
    invalid: [[DAVE, 'not_recipient']],
  },
  {
    category: 'late joiners',
    name: 'invited before the send, joined after → not a recipient',
    memberships: [{ userId: DAVE, membership: 'invite', index: 1 }, join(DAVE, 3)],
    expected: { [DAVE]: null },
  },
  // Users who left after the send remain recipients, with their status.
  {
    category: 'users who left',
    name: 'left after the send → recipient, flagged, keeps read status',
    memberships: [leave(BOB, 3)],
    receipts: [receipt(BOB, '$circ')],
    expected: { [BOB]: { status: 'read', leftAfterSend: true } },
  },
  {
    category: 'users who left',
    name: 'acknowledged, then left → acknowledged, flagged',
    memberships: [leave(BOB, 6)],
    acks: [ack(BOB, '$ack1', SENT + HOUR)],
    expected: { [BOB]: { status: 'acknowledged', leftAfterSend: true } },
  },
  {
    category: 'users who left',
    name: 'left after the send without reading → unread, flagged',
    memberships: [leave(BOB, 3)],
    expected: { [BOB]: { status: 'unread', leftAfterSend: true } },
  },
  {
    category: 'users who left',
    name: 'banned after the send → recipient, flagged',
    memberships: [{ userId: BOB, membership: 'ban', index: 4 }],
    expected: { [BOB]: { status: 'unread', leftAfterSend: true } },
  },
  {
    category: 'users who left',
    name: 'left and rejoined after the send → recipient, not flagged',
    memberships: [leave(BOB, 3), join(BOB, 4)],
    expected: { [BOB]: { leftAfterSend: false } },
  },
  {
    category: 'users who left',
    name: 'left before the send → not a recipient',
    memberships: [leave(CAROL, 1)],
    expected: { [CAROL]: null },
  },
  // Duplicate acks: the earliest valid one counts.
  {
    category: 'duplicate acks',
    name: 'two acks → the earliest counts (listed last), the other is a duplicate',
    acks: [
      ack(ALICE, '$ack2', SENT + 3 * HOUR, { note: '第二次' }),
      ack(ALICE, '$ack1', SENT + HOUR, { note: '已收到' }),
    ],
    expected: {
      [ALICE]: {
        status: 'acknowledged',
        ackedAt: SENT + HOUR,
        ackEventId: '$ack1',
        ackNote: '已收到',
      },
    },
    duplicates: [['$ack2', '$ack1']],
  },
  {
    category: 'duplicate acks',
    name: 'same timestamp → the earlier in the timeline counts',
    acks: [ack(ALICE, '$ack2', SENT + HOUR), ack(ALICE, '$ack1', SENT + HOUR)],
    expected: { [ALICE]: { ackEventId: '$ack1' } },
    duplicates: [['$ack2', '$ack1']],
  },
  {
    category: 'duplicate acks',
    name: 'an invalid earlier ack does not displace a valid later one',
    acks: [
      ack(ALICE, '$ack1', SENT + HOUR, { circularId: OTHER_CIRCULAR_ID }),
      ack(ALICE, '$ack2', SENT + 2 * HOUR),
    ],
    expected: { [ALICE]: { status: 'acknowledged', ackEventId: '$ack2' } },
    invalid: [[ALICE, 'wrong_circular']],
  },
  // Acks before receipts still count; an ack implies read.
  {
    category: 'acks before receipts',
    name: 'ack and no receipt → acknowledged, read at ack time',
    acks: [ack(ALICE, '$ack1', SENT + HOUR)],
    expected: { [ALICE]: { status: 'acknowledged', readAt: SENT + HOUR, ackedAt: SENT + HOUR } },
  },
  {
    category: 'acks before receipts',
    name: 'ack while the receipt is still before the circular → acknowledged',
    receipts: [receipt(ALICE, '$before')],
    acks: [ack(ALICE, '$ack1', SENT + HOUR)],
    expected: { [ALICE]: { status: 'acknowledged', readAt: SENT + HOUR } },
  },
  {
    category: 'acks before receipts',
    name: 'receipt arriving after the ack → read time stays the earlier ack',
    receipts: [receipt(ALICE, '$ack1', SENT + 2 * HOUR)],
    acks: [ack(ALICE, '$ack1', SENT + HOUR)],
    expected: { [ALICE]: { status: 'acknowledged', readAt: SENT + HOUR } },
  },
  {
    category: 'acks before receipts',
    name: 'receipt before the ack → read at the receipt',
    receipts: [receipt(ALICE, '$circ', SENT + 60_000)],
    acks: [ack(ALICE, '$ack1', SENT + HOUR)],
    expected: { [ALICE]: { status: 'acknowledged', readAt: SENT + 60_000 } },
  },
  // Non-recipient acks are invalid and not counted.
  {
    category: 'non-recipient acks',
    name: "the issuer's own ack",
    acks: [ack(ISSUER, '$ack1', SENT + HOUR)],
    expected: { [ISSUER]: null },
    invalid: [[ISSUER, 'not_recipient']],
  },
  {
    category: 'non-recipient acks',
    name: 'an ack from someone never in the room',
    acks: [ack('@mallory:evil.example', '$ack1', SENT + HOUR)],
    expected: {},
    invalid: [['@mallory:evil.example', 'not_recipient']],
  },
  {
    category: 'non-recipient acks',
    name: 'an ack sent in a room outside the fan-out',
    acks: [ack(ALICE, '$ack1', SENT + HOUR, { roomId: '!elsewhere:gov.example.cn' })],
    expected: { [ALICE]: { status: 'unread' } },
    invalid: [[ALICE, 'unknown_room']],
  },
  // Wrong-circular acks are invalid and not counted.
  {
    category: 'wrong-circular acks',
    name: 'names another circular id',
    acks: [ack(ALICE, '$ack1', SENT + HOUR, { circularId: OTHER_CIRCULAR_ID })],
    expected: { [ALICE]: { status: 'unread' } },
    invalid: [[ALICE, 'wrong_circular']],
  },
  {
    category: 'wrong-circular acks',
    name: 'references another event',
    acks: [ack(ALICE, '$ack1', SENT + HOUR, { relatesTo: '$after' })],
    expected: { [ALICE]: { status: 'unread' } },
    invalid: [[ALICE, 'wrong_event']],
  },
  {
    category: 'wrong-circular acks',
    name: 'malformed content',
    acks: [
      {
        eventId: '$ack1',
        roomId: ROOM,
        sender: ALICE,
        ts: SENT + HOUR,
        encrypted: true,
        content: { 'm.relates_to': { rel_type: 'm.reference', event_id: '$circ' } },
      },
    ],
    expected: { [ALICE]: { status: 'unread' } },
    invalid: [[ALICE, 'malformed']],
  },
  {
    category: 'wrong-circular acks',
    name: 'redacted ack',
    acks: [{ ...ack(ALICE, '$ack1', SENT + HOUR), content: {}, redacted: true }],
    expected: { [ALICE]: { status: 'unread' } },
    invalid: [[ALICE, 'redacted']],
  },
  // Proof of receipt: encrypted, and bound to the decrypted content.
  {
    category: 'proof of receipt',
    name: 'a cleartext ack (bare HTTP, no device) does not count',
    acks: [ack(ALICE, '$ack1', SENT + HOUR, { encrypted: false })],
    expected: { [ALICE]: { status: 'unread' } },
    invalid: [[ALICE, 'unencrypted']],
  },
  {
    category: 'proof of receipt',
    name: 'an encrypted ack without a content digest does not count',
    acks: [ack(ALICE, '$ack1', SENT + HOUR, { digest: null })],
    expected: { [ALICE]: { status: 'unread' } },
    invalid: [[ALICE, 'content_mismatch']],
  },
  {
    category: 'proof of receipt',
    name: 'an ack whose digest is of other content does not count',
    acks: [
      ack(ALICE, '$ack1', SENT + HOUR, {
        digest: circularDigest(sampleCircular({ title: '另一份通知' })),
      }),
    ],
    expected: { [ALICE]: { status: 'unread' } },
    invalid: [[ALICE, 'content_mismatch']],
  },
  // Overdue: ack required by a deadline.
  {
    category: 'overdue',
    name: 'unacknowledged past the deadline',
    now: AFTER_DEADLINE,
    expected: { [ALICE]: { status: 'unread', overdue: true } },
  },
  {
    category: 'overdue',
    name: 'read but unacknowledged past the deadline',
    now: AFTER_DEADLINE,
    receipts: [receipt(ALICE, '$circ')],
    expected: { [ALICE]: { status: 'read', overdue: true } },
  },
  {
    category: 'overdue',
    name: 'unacknowledged before the deadline',
    now: BEFORE_DEADLINE,
    expected: { [ALICE]: { overdue: false } },
  },
  {
    category: 'overdue',
    name: 'unacknowledged exactly at the deadline',
    now: DEADLINE,
    expected: { [ALICE]: { overdue: false } },
  },
  {
    category: 'overdue',
    name: 'acknowledged before the deadline',
    now: AFTER_DEADLINE,
    acks: [ack(ALICE, '$ack1', BEFORE_DEADLINE)],
    expected: { [ALICE]: { status: 'acknowledged', overdue: false } },
  },
  {
    category: 'overdue',
    name: 'acknowledged after the deadline (late)',
    now: AFTER_DEADLINE,
    acks: [ack(ALICE, '$ack1', DEADLINE + 1)],
    expected: { [ALICE]: { status: 'acknowledged', overdue: true } },
  },
  {
    category: 'overdue',
    name: 'ack required without a deadline → never overdue',
    ackDeadline: null,
    now: AFTER_DEADLINE * 2,
    expected: { [ALICE]: { overdue: false } },
  },
  {
    category: 'overdue',
    name: 'no ack required → never overdue, acks still shown',
    ackRequired: false,
    ackDeadline: null,
    now: AFTER_DEADLINE,
    acks: [ack(BOB, '$ack1', SENT)],
    expected: { [ALICE]: { overdue: false }, [BOB]: { status: 'acknowledged', overdue: false } },
  },
];

function run(c: Case) {
  const input: AggregateInput = {
    circular: {
      id: SAMPLE_CIRCULAR_ID,
      contentSha256: DIGEST,
      ackRequired: c.ackRequired ?? true,
      ackDeadline: c.ackDeadline === null ? undefined : (c.ackDeadline ?? DEADLINE),
    },
    copies: [
      {
        roomId: ROOM,
        unitCode: '330100',
        eventId: '$circ',
        senderId: ISSUER,
        eventOrder: ORDER,
        memberships: [join(ISSUER), join(ALICE), join(BOB), join(CAROL), ...(c.memberships ?? [])],
        receipts: c.receipts ?? [],
      },
    ],
    acks: c.acks ?? [],
    now: c.now ?? SENT + 2 * HOUR,
  };
  return aggregateCircular(input);
}

describe('aggregateCircular rules', () => {
  it.each(CASES)('$category: $name', (c) => {
    const result = run(c);
    const byUser = new Map(result.recipients.map((r) => [r.userId, r]));
    for (const [userId, expected] of Object.entries(c.expected)) {
      if (expected === null)
        expect(byUser.has(userId), `${userId} should not be a recipient`).toBe(false);
      else {
        expect(byUser.get(userId), userId).toMatchObject(expected);
        if (expected.status === 'unread')
          expect(byUser.get(userId)?.readAt, `${userId} has not read`).toBeUndefined();
      }
    }
    expect(result.invalidAcks.map((a) => [a.sender, a.reason])).toEqual(c.invalid ?? []);
    expect(result.duplicateAcks.map((a) => [a.eventId, a.keptEventId])).toEqual(c.duplicates ?? []);
    expect(byUser.has(ISSUER)).toBe(false);
    expect(result.problems).toEqual([]);
  });
});

describe('aggregateCircular across copies', () => {
  const ORDER_B = new Map([
    ['$b-circ', 10],
    ['$b-after', 11],
    ['$b-ack', 12],
  ]);
  const input = (acks: AckEventInput[], extra: Partial<AggregateInput> = {}): AggregateInput => ({
    circular: {
      id: SAMPLE_CIRCULAR_ID,
      contentSha256: DIGEST,
      ackRequired: true,
      ackDeadline: DEADLINE,
    },
    copies: [
      {
        roomId: ROOM,
        unitCode: '330100',
        eventId: '$circ',
        senderId: ISSUER,
        eventOrder: ORDER,
        memberships: [join(ISSUER), join(ALICE), join(BOB)],
        receipts: [receipt(BOB, '$after')],
      },
      {
        roomId: ROOM_B,
        unitCode: '330200',
        eventId: '$b-circ',
        senderId: ISSUER,
        eventOrder: ORDER_B,
        memberships: [
          join(ISSUER, 1),
          join(ALICE, 1),
          join(CAROL, 1),
          join('@bot:gov.example.cn', 1),
        ],
        receipts: [],
      },
    ],
    acks,
    now: SENT + HOUR,
    ...extra,
  });

  it('counts a person in two target rooms once, listed under each unit with one status', () => {
    const r = aggregateCircular(input([ack(ALICE, '$ack1', SENT + HOUR)]));
    const status = (room: string, user: string) =>
      r.recipients.find((x) => x.roomId === room && x.userId === user)?.status;
    expect(status(ROOM, ALICE)).toBe('acknowledged');
    expect(status(ROOM_B, ALICE)).toBe('acknowledged');
    expect(r.recipients.map((x) => [x.unitCode, x.userId])).toEqual([
      ['330100', ALICE],
      ['330100', BOB],
      ['330200', ALICE],
      ['330200', CAROL],
      ['330200', '@bot:gov.example.cn'],
    ]);
    // Four people: Alice, Bob, Carol and the bot.
    expect(r.totals).toEqual({ total: 4, unread: 2, read: 1, acknowledged: 1, overdue: 0 });
  });

  it("shares a person's reading of one copy with their other copies", () => {
    const base = input([]);
    const copies = base.copies.map((c) =>
      c.roomId === ROOM_B
        ? { ...c, receipts: [{ userId: ALICE, eventId: c.eventId, ts: SENT + HOUR }] }
        : { ...c, receipts: [] },
    );
    const r = aggregateCircular({ ...base, copies });
    const alice = r.recipients.filter((x) => x.userId === ALICE);
    expect(alice.map((x) => [x.status, x.readAt])).toEqual([
      ['read', SENT + HOUR],
      ['read', SENT + HOUR],
    ]);
    expect(r.totals.read).toBe(1);
  });

  it('keeps one acknowledgment per person: an ack of the other copy is a duplicate', () => {
    const r = aggregateCircular(
      input([
        ack(ALICE, '$ack1', SENT + HOUR),
        ack(ALICE, '$a-b-ack', SENT + 2 * HOUR, { roomId: ROOM_B, relatesTo: '$b-circ' }),
      ]),
    );
    expect(r.duplicateAcks.map((d) => [d.eventId, d.keptEventId])).toEqual([['$a-b-ack', '$ack1']]);
    expect(r.totals.acknowledged).toBe(1);
  });

  it("rejects an ack in one room that references the other room's copy", () => {
    const r = aggregateCircular(
      input([ack(CAROL, '$b-ack', SENT + HOUR, { roomId: ROOM_B, relatesTo: '$circ' })]),
    );
    expect(r.invalidAcks.map((a) => a.reason)).toEqual(['wrong_event']);
    expect(r.totals.acknowledged).toBe(0);
  });

  it('names who removed an ack redacted by someone other than its sender', () => {
    const redacted: AckEventInput = {
      ...ack(ALICE, '$ack1', SENT + HOUR),
      content: {},
      redacted: true,
      redactedBy: ISSUER,
    };
    const r = aggregateCircular(input([redacted]));
    expect(r.invalidAcks).toMatchObject([
      {
        sender: ALICE,
        reason: 'redacted',
        detail: expect.stringContaining(`removed by ${ISSUER}`),
      },
    ]);
  });

  it('leaves out excluded users such as service bots', () => {
    const r = aggregateCircular(input([], { excludedUserIds: ['@bot:gov.example.cn'] }));
    expect(r.recipients.some((x) => x.userId === '@bot:gov.example.cn')).toBe(false);
  });

  it("carries each recipient's display name in the copy's room onto the recipient", () => {
    const base = input([]);
    const [a, b] = base.copies;
    if (!a || !b) throw new Error('two copies expected');
    const r = aggregateCircular({
      ...base,
      copies: [
        { ...a, names: new Map([[ALICE, '张伟']]) },
        { ...b, names: new Map([[ALICE, '张伟（宁波）']]) },
      ],
    });
    const name = (room: string, user: string) =>
      r.recipients.find((x) => x.roomId === room && x.userId === user)?.displayName;
    expect(name(ROOM, ALICE)).toBe('张伟');
    expect(name(ROOM_B, ALICE)).toBe('张伟（宁波）');
    expect(name(ROOM, BOB)).toBeUndefined();
  });

  it('gives the same result whatever order acks arrive in', () => {
    const acks = [
      ack(ALICE, '$ack2', SENT + 2 * HOUR),
      ack(BOB, '$ack1', SENT + HOUR),
      ack(CAROL, '$b-ack', SENT, { roomId: ROOM_B, relatesTo: '$b-circ' }),
      ack(ALICE, '$ack1', SENT + HOUR),
    ];
    const forward = aggregateCircular(input(acks));
    const backward = aggregateCircular(input([...acks].reverse()));
    expect(backward.recipients).toEqual(forward.recipients);
    expect(backward.duplicateAcks).toEqual(forward.duplicateAcks);
  });

  it('reports a copy whose circular is missing from the timeline order instead of guessing', () => {
    const base = input([]);
    const r = aggregateCircular({
      ...base,
      copies: [base.copies[0]!, { ...base.copies[1]!, eventId: '$unknown' }, base.copies[0]!],
    });
    expect(r.problems).toEqual([
      {
        roomId: ROOM_B,
        message: "circular event $unknown is missing from the room's timeline order",
      },
      { roomId: ROOM, message: 'room listed twice; the first copy is used' },
    ]);
    expect(r.recipients.every((x) => x.roomId === ROOM)).toBe(true);
  });
});
