import { describe, expect, it } from 'vitest';
import type { AckEventInput } from '../../../shared/circular/aggregate';
import { buildAckContent } from '../../../shared/circular/ack';
import { createAppStore } from '../store/app-store';
import type { InboxEntry } from '../store/circulars-slice';
import { ForwardRefusedError, Inbox } from './inbox';
import type { ScanInputs, ScanResult } from './scan-circulars';
import { sampleCircular, SAMPLE_CIRCULAR_ID } from './testing/feature-fixtures';

const ME = '@me:s';
const entry: InboxEntry = {
  roomId: '!n:s',
  eventId: '$copy',
  senderId: '@issuer:s',
  ts: 1,
  circular: sampleCircular(),
  status: 'unread',
  ackQueued: false,
};

function setUp(options: { acks?: AckEventInput[]; encrypted?: boolean } = {}) {
  const store = createAppStore();
  const sent: { roomId: string; eventType: string; content: Record<string, unknown> }[] = [];
  const lookups: string[] = [];
  const scans: ScanInputs[] = [];
  let changes = 0;
  const result: ScanResult = { inbox: [entry], invalid: [], issued: [], reminders: {} };
  const inbox = new Inbox({
    store,
    userId: ME,
    scan: (inputs) => {
      scans.push(inputs);
      return result;
    },
    fetchAcks: (copy) => {
      lookups.push(copy.eventId);
      return Promise.resolve(options.acks ?? []);
    },
    markRead: () => Promise.resolve(),
    isEncrypted: () => options.encrypted ?? true,
    send: (p) => {
      sent.push(p);
      return Promise.resolve();
    },
    onChange: () => changes++,
  });
  return { store, inbox, sent, lookups, scans, changes: () => changes };
}

const ack = (over: Partial<AckEventInput>): AckEventInput => ({
  eventId: '$ack',
  roomId: '!n:s',
  sender: ME,
  ts: 50,
  content: buildAckContent({
    circularId: SAMPLE_CIRCULAR_ID,
    eventId: '$copy',
    contentSha256: 'a'.repeat(64),
    note: '已阅',
  }),
  encrypted: true,
  ...over,
});

describe('inbox', () => {
  it('keeps a fan-out’s progress and an entry still being sent across scans', () => {
    const { store, inbox } = setUp();
    const progress = { total: 2, sent: 1, pending: 1, retrying: 0, failed: 0, done: false };
    store
      .getState()
      .setIssuedCirculars([
        { circularId: 'c-running', title: 't', issuedAt: 1, copies: [], progress },
      ]);
    inbox.scan();
    expect(store.getState().circularInbox).toEqual([entry]);
    expect(store.getState().issuedCirculars).toEqual([
      { circularId: 'c-running', title: 't', issuedAt: 1, copies: [], progress },
    ]);
  });

  it('asks the server for the user’s own earlier ack once per copy, with its note', async () => {
    const { inbox, lookups, scans, changes } = setUp({
      acks: [ack({ eventId: '$later', ts: 90 }), ack({}), ack({ sender: '@other:s', ts: 10 })],
    });
    inbox.scan();
    inbox.scan();
    await new Promise((r) => setTimeout(r, 0));
    expect(lookups).toEqual(['$copy']);
    expect(changes()).toBe(1);
    inbox.scan();
    expect(scans.at(-1)?.serverAcks.get('$copy')).toEqual({ ackedAt: 50, note: '已阅' });
  });

  it('shows an acknowledgment at once and sends it with the trimmed note', async () => {
    const { store, inbox, sent } = setUp();
    await inbox.acknowledge({
      roomId: '!n:s',
      eventId: '$copy',
      circular: sampleCircular(),
      note: '  收到  ',
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.eventType).toBe('cn.hongyan.ack');
    expect(store.getState().localAcks['$copy']).toMatchObject({ note: '收到' });
  });

  it('refuses to forward a no-forward circular or into an unencrypted room, sending nothing', async () => {
    const plain = setUp({ encrypted: false });
    await expect(
      plain.inbox.forward({ circular: sampleCircular({ noForward: false }), toRoomId: '!c:s' }),
    ).rejects.toBeInstanceOf(ForwardRefusedError);
    const open = setUp();
    await expect(
      open.inbox.forward({ circular: sampleCircular({ noForward: true }), toRoomId: '!c:s' }),
    ).rejects.toThrow(/does not allow forwarding/);
    expect([...plain.sent, ...open.sent]).toEqual([]);
    await open.inbox.forward({ circular: sampleCircular({ noForward: false }), toRoomId: '!c:s' });
    expect(open.sent.length).toBeGreaterThan(0);
    expect(open.sent.every((s) => s.roomId === '!c:s' && s.eventType === 'm.room.message')).toBe(
      true,
    );
  });
});
