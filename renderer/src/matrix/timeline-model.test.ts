import { describe, expect, it } from 'vitest';
import { MatrixEvent } from 'matrix-js-sdk';
import { stripReplyFallback, toTimelineItems } from './timeline-model';
import type { TimelineItem } from '../store/timeline-items';

const ME = '@me:hongyan.test';
const YOU = '@you:hongyan.test';
const ctx = { myUserId: ME, nameOf: (u: string) => (u === ME ? '我' : u === YOU ? '王芳' : u) };
let n = 0;
const ev = (
  sender: string,
  content: Record<string, unknown>,
  type = 'm.room.message',
  ts = Date.UTC(2026, 10, 20, 8, 0, n),
) =>
  new MatrixEvent({
    event_id: `$e${++n}`,
    type,
    sender,
    content,
    origin_server_ts: ts,
    room_id: '!r:hongyan.test',
  });
const messages = (rows: TimelineItem[]) => rows.filter((r) => r.kind === 'message');

describe('toTimelineItems', () => {
  it('applies edits, sums reactions, resolves replies and flags mentions', () => {
    const first = ev(YOU, { msgtype: 'm.text', body: '原文' });
    const edit = ev(YOU, {
      msgtype: 'm.text',
      body: '* 改后',
      'm.new_content': { msgtype: 'm.text', body: '改后' },
      'm.relates_to': { rel_type: 'm.replace', event_id: first.getId() },
    });
    const r1 = ev(
      ME,
      { 'm.relates_to': { rel_type: 'm.annotation', event_id: first.getId(), key: '👍' } },
      'm.reaction',
    );
    const r2 = ev(
      YOU,
      { 'm.relates_to': { rel_type: 'm.annotation', event_id: first.getId(), key: '👍' } },
      'm.reaction',
    );
    const reply = ev(YOU, {
      msgtype: 'm.text',
      body: '> <@me:hongyan.test> 原文\n\n@我 请看',
      'm.mentions': { user_ids: [ME] },
      'm.relates_to': { 'm.in_reply_to': { event_id: first.getId() } },
    });
    const rows = messages(toTimelineItems([first, edit, r1, r2, reply], ctx));
    expect(rows).toHaveLength(2);
    const [a, b] = rows;
    expect(a).toMatchObject({
      body: '改后',
      edited: true,
      reactions: [{ key: '👍', count: 2, myEventId: r1.getId() }],
    });
    expect(b).toMatchObject({
      body: '@我 请看',
      mentionsMe: true,
      replyTo: { eventId: first.getId(), senderName: '王芳', body: '原文' },
    });
  });

  it('ignores an edit by someone other than the sender', () => {
    const first = ev(YOU, { msgtype: 'm.text', body: '原文' });
    const forged = ev(ME, {
      msgtype: 'm.text',
      body: '*',
      'm.new_content': { body: '伪造' },
      'm.relates_to': { rel_type: 'm.replace', event_id: first.getId() },
    });
    expect(messages(toTimelineItems([first, forged], ctx))[0]).toMatchObject({
      body: '原文',
      edited: false,
    });
  });

  it('inserts one day separator per calendar day', () => {
    const d1 = ev(YOU, { msgtype: 'm.text', body: 'a' }, 'm.room.message', Date.UTC(2026, 0, 1, 4));
    const d1b = ev(
      YOU,
      { msgtype: 'm.text', body: 'b' },
      'm.room.message',
      Date.UTC(2026, 0, 1, 5),
    );
    const d2 = ev(YOU, { msgtype: 'm.text', body: 'c' }, 'm.room.message', Date.UTC(2026, 0, 3, 4));
    expect(toTimelineItems([d1, d1b, d2], ctx).map((r) => r.kind)).toEqual([
      'day',
      'message',
      'message',
      'day',
      'message',
    ]);
  });

  it('describes membership and encryption changes', () => {
    const join = new MatrixEvent({
      event_id: '$j',
      type: 'm.room.member',
      state_key: YOU,
      sender: YOU,
      content: { membership: 'join' },
      origin_server_ts: 1,
    });
    const enc = new MatrixEvent({
      event_id: '$c',
      type: 'm.room.encryption',
      state_key: '',
      sender: ME,
      content: { algorithm: 'm.megolm.v1.aes-sha2' },
      origin_server_ts: 2,
    });
    const notices = toTimelineItems([join, enc], ctx).filter((r) => r.kind === 'notice');
    expect(notices.map((r) => r.kind === 'notice' && r.text.key)).toEqual([
      'joined',
      'encryptionOn',
    ]);
  });

  it('reads a display-name change as a name change, never as a join', () => {
    const member = (id: string, content: object, unsigned: object) =>
      new MatrixEvent({
        event_id: id,
        type: 'm.room.member',
        state_key: YOU,
        sender: YOU,
        content,
        unsigned,
        origin_server_ts: 3,
      });
    const renamed = member(
      '$n1',
      { membership: 'join', displayname: '王芳（办公室）' },
      { prev_content: { membership: 'join', displayname: '王芳' }, replaces_state: '$j' },
    );
    const avatar = member(
      '$n2',
      { membership: 'join', displayname: '王芳（办公室）', avatar_url: 'mxc://s/a' },
      {
        prev_content: { membership: 'join', displayname: '王芳（办公室）' },
        replaces_state: '$n1',
      },
    );
    const unknownPrev = member(
      '$n3',
      { membership: 'join', displayname: '王芳' },
      { replaces_state: '$n2' },
    );
    const notices = toTimelineItems([renamed, avatar, unknownPrev], ctx).filter(
      (r) => r.kind === 'notice',
    );
    expect(notices.map((r) => r.kind === 'notice' && r.text)).toEqual([
      { key: 'nameChanged', actor: '王芳', target: '王芳（办公室）' },
    ]);
  });

  it("names the provisioning account's changes as the system's", () => {
    const ADMIN = '@hongyan-admin:hongyan.test';
    const created = ev(ADMIN, { creator: ADMIN }, 'm.room.create');
    const rows = toTimelineItems([created], { ...ctx, serviceAccount: ADMIN });
    expect(rows.find((r) => r.kind === 'notice')).toMatchObject({
      text: { key: 'created', actor: '', system: true },
    });
  });

  it('shows a deleted encrypted message as deleted, and hides a deleted reaction', () => {
    const redactedEncrypted = (id: string) =>
      new MatrixEvent({
        event_id: id,
        type: 'm.room.encrypted',
        sender: YOU,
        content: {},
        origin_server_ts: 5,
        unsigned: {
          redacted_because: {
            type: 'm.room.redaction',
            sender: YOU,
            content: {},
            event_id: '$r',
            origin_server_ts: 6,
          },
        },
      } as never);
    const items = toTimelineItems([redactedEncrypted('$msg'), redactedEncrypted('$react')], {
      ...ctx,
      clearTypeOf: (id) =>
        id === '$react' ? 'm.reaction' : id === '$msg' ? 'm.room.message' : undefined,
    });
    expect(messages(items)).toMatchObject([{ id: '$msg', redacted: true, body: '' }]);
  });

  it('strips reply fallbacks only when they are a fallback', () => {
    expect(stripReplyFallback('> quoted\n> more\n\nanswer')).toBe('answer');
    expect(stripReplyFallback('> not a fallback')).toBe('> not a fallback');
  });

  it('carries the notice-room flag of a message, but not of a deleted one', () => {
    const chat = ev(YOU, { msgtype: 'm.text', body: '请尽快签收' });
    const gone = new MatrixEvent({
      event_id: '$gone',
      type: 'm.room.message',
      sender: YOU,
      content: {},
      origin_server_ts: 6,
      unsigned: {
        redacted_because: {
          type: 'm.room.redaction',
          sender: YOU,
          content: {},
          event_id: '$r2',
          origin_server_ts: 7,
        },
      },
    } as never);
    const rows = messages(
      toTimelineItems([chat, gone], {
        ...ctx,
        flagOf: (e) => (e.getSender() === YOU ? 'member_post' : undefined),
      }),
    );
    expect(rows.map((r) => (r.kind === 'message' ? r.flag : null))).toEqual([
      'member_post',
      undefined,
    ]);
  });
});
