import { describe, expect, it } from 'vitest';
import type { FanOutPlan } from './fan-out';
import {
  circularTxnId,
  fanOutProgress,
  markFailed,
  markSent,
  nextBatch,
  parseFanOutPlan,
  planFanOut,
  serializeFanOutPlan,
} from './fan-out';
import { SAMPLE_CIRCULAR_ID } from './test-fixtures';

const rooms = new Map([
  ['330000', '!prov:s'],
  ['330100', '!hz:s'],
  ['330200', '!nb:s'],
  ['330201', '!hs:s'],
]);

function plan(unitCodes = ['330000', '330100', '330200', '330201']): FanOutPlan {
  const r = planFanOut({ circularId: SAMPLE_CIRCULAR_ID, unitCodes, noticeRoomOf: rooms });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.plan;
}

const rooms0 = (entries: readonly { roomId: string }[]) => entries.map((e) => e.roomId);

describe('planFanOut', () => {
  it('plans one pending send per target room with a deterministic transaction id', () => {
    const p = plan();
    expect(p.entries.map((e) => [e.unitCode, e.roomId, e.state.kind, e.attempts])).toEqual([
      ['330000', '!prov:s', 'pending', 0],
      ['330100', '!hz:s', 'pending', 0],
      ['330200', '!nb:s', 'pending', 0],
      ['330201', '!hs:s', 'pending', 0],
    ]);
    expect(plan().entries.map((e) => e.txnId)).toEqual(p.entries.map((e) => e.txnId));
    expect(new Set(p.entries.map((e) => e.txnId)).size).toBe(4);
    expect(p.entries[0]?.txnId).toBe(circularTxnId(SAMPLE_CIRCULAR_ID, '!prov:s'));
  });

  it('gives different circulars different transaction ids in the same room', () => {
    expect(circularTxnId(SAMPLE_CIRCULAR_ID, '!a:s')).not.toBe(
      circularTxnId('01J0Z8Y6Q3T9V2M4N5P6R7S8T9', '!a:s'),
    );
  });

  it('names every unit without a notice room, or sharing one', () => {
    const r = planFanOut({
      circularId: SAMPLE_CIRCULAR_ID,
      unitCodes: ['330000', '999999', '330100'],
      noticeRoomOf: new Map([...rooms, ['330100', '!prov:s']]),
    });
    expect(r).toEqual({
      ok: false,
      errors: [
        { path: '/unitCodes/1', message: 'unit "999999" has no notice room' },
        {
          path: '/unitCodes/2',
          message: 'unit "330100" shares notice room !prov:s with unit "330000"',
        },
      ],
    });
  });

  it('rejects a bad circular id and an empty target list', () => {
    const r = planFanOut({ circularId: 'x', unitCodes: [], noticeRoomOf: rooms });
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['/circularId']);
    const empty = planFanOut({
      circularId: SAMPLE_CIRCULAR_ID,
      unitCodes: [],
      noticeRoomOf: rooms,
    });
    expect(empty).toEqual({
      ok: false,
      errors: [{ path: '/unitCodes', message: 'no target units' }],
    });
  });
});

describe('fan-out state machine', () => {
  it('hands out batches, records results, retries failures, and finishes', () => {
    let p = plan();
    expect(rooms0(nextBatch(p, { size: 2 }))).toEqual(['!prov:s', '!hz:s']);
    p = markSent(p, '!prov:s', '$e1', 1000);
    p = markFailed(p, '!hz:s', { error: 'timeout' });
    // Pending rooms go first, then the retry.
    expect(rooms0(nextBatch(p, { size: 10 }))).toEqual(['!nb:s', '!hs:s', '!hz:s']);
    p = markSent(p, '!nb:s', '$e3', 1001);
    p = markFailed(p, '!hs:s', { error: 'M_FORBIDDEN', permanent: true });
    expect(rooms0(nextBatch(p, { size: 10 }))).toEqual(['!hz:s']);
    expect(fanOutProgress(p)).toEqual({
      total: 4,
      sent: 2,
      pending: 0,
      retrying: 1,
      failed: 1,
      done: false,
    });
    p = markSent(p, '!hz:s', '$e2', 1002);
    expect(nextBatch(p, { size: 10 })).toEqual([]);
    expect(fanOutProgress(p)).toEqual({
      total: 4,
      sent: 3,
      pending: 0,
      retrying: 0,
      failed: 1,
      done: true,
    });
    expect(p.entries.find((e) => e.roomId === '!hz:s')).toMatchObject({
      attempts: 1,
      state: { kind: 'sent', eventId: '$e2' },
    });
  });

  it('stops retrying after the attempt limit', () => {
    let p = plan(['330000']);
    for (let i = 0; i < 3; i++) p = markFailed(p, '!prov:s', { error: `try ${i}` });
    expect(nextBatch(p, { size: 5, maxAttempts: 3 })).toEqual([]);
    expect(nextBatch(p, { size: 5, maxAttempts: 4 })).toHaveLength(1);
    expect(fanOutProgress(p, 3)).toMatchObject({ failed: 1, done: true });
  });

  it('never un-sends: a late failure or a second success keeps the first event', () => {
    let p = plan(['330000']);
    p = markSent(p, '!prov:s', '$first', 1);
    expect(markFailed(p, '!prov:s', { error: 'late timeout' })).toBe(p);
    expect(markSent(p, '!prov:s', '$second', 2)).toBe(p);
    expect(p.entries[0]?.state).toEqual({ kind: 'sent', eventId: '$first', sentAt: 1 });
  });

  it('returns new plans and leaves the old ones untouched', () => {
    const before = plan();
    const snapshot = JSON.stringify(before);
    const after = markSent(before, '!hz:s', '$e', 5);
    expect(after).not.toBe(before);
    expect(JSON.stringify(before)).toBe(snapshot);
  });

  it('refuses to record a room outside the plan', () => {
    expect(() => markSent(plan(), '!other:s', '$e', 1)).toThrow(
      /!other:s is not part of the fan-out/,
    );
  });
});

describe('fan-out persistence', () => {
  it('resumes from JSON with the same transaction ids, so a re-send is deduplicated', () => {
    let p = plan();
    p = markSent(p, '!prov:s', '$e1', 1000);
    p = markFailed(p, '!hz:s', { error: 'network down' });
    const restored = parseFanOutPlan(serializeFanOutPlan(p));
    expect(restored).toEqual({ ok: true, plan: p });
    if (restored.ok) {
      const again = nextBatch(restored.plan, { size: 10 });
      expect(again.map((e) => e.txnId)).toEqual(nextBatch(p, { size: 10 }).map((e) => e.txnId));
      expect(again.some((e) => e.roomId === '!prov:s')).toBe(false);
    }
  });

  it.each<[string, string, string]>([
    ['corrupt JSON', '{"version":1,', ''],
    ['a wrong version', JSON.stringify({ ...plan(), version: 2 }), '/version'],
    [
      'a bad state',
      JSON.stringify({ ...plan(), entries: [{ ...plan().entries[0], state: { kind: 'sent' } }] }),
      '/entries/0/state/eventId',
    ],
    [
      'a tampered transaction id',
      JSON.stringify({ ...plan(), entries: [{ ...plan().entries[0], txnId: 'other' }] }),
      '/entries/0/txnId',
    ],
    [
      'a room listed twice',
      JSON.stringify({ ...plan(), entries: [plan().entries[0], plan().entries[0]] }),
      '/entries/1/roomId',
    ],
  ])('rejects %s, naming where', (_name, json, path) => {
    const r = parseFanOutPlan(json);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toContain(path);
  });
});
