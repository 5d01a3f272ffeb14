import { describe, expect, it } from 'vitest';
import { ACK_EVENT } from '../matrix-types';
import { MAX_ACK_NOTE_CHARS, buildAckContent, parseAck } from './ack';
import { ContentInputError } from './circular-content';
import { circularDigest } from './content-digest';
import { SAMPLE_CIRCULAR_ID, sampleCircular } from './test-fixtures';

const DIGEST = circularDigest(sampleCircular());

describe('acknowledgment content', () => {
  it('references the circular copy and round-trips through the wire', () => {
    const content = buildAckContent({
      circularId: SAMPLE_CIRCULAR_ID,
      eventId: '$circ',
      contentSha256: DIGEST,
      note: '已收到，按要求落实。',
    });
    expect(content).toEqual({
      'm.relates_to': { rel_type: 'm.reference', event_id: '$circ' },
      [ACK_EVENT]: {
        circularId: SAMPLE_CIRCULAR_ID,
        contentSha256: DIGEST,
        note: '已收到，按要求落实。',
      },
    });
    expect(parseAck(JSON.parse(JSON.stringify(content)))).toEqual({
      ok: true,
      ack: {
        circularId: SAMPLE_CIRCULAR_ID,
        eventId: '$circ',
        contentSha256: DIGEST,
        note: '已收到，按要求落实。',
      },
    });
  });

  it('drops a blank note on both sides', () => {
    expect(
      buildAckContent({
        circularId: SAMPLE_CIRCULAR_ID,
        eventId: '$circ',
        contentSha256: DIGEST,
        note: '  ',
      })[ACK_EVENT],
    ).toEqual({ circularId: SAMPLE_CIRCULAR_ID, contentSha256: DIGEST });
    const r = parseAck({
      'm.relates_to': { rel_type: 'm.reference', event_id: '$circ' },
      [ACK_EVENT]: { circularId: SAMPLE_CIRCULAR_ID, note: ' ' },
    });
    expect(r.ok && r.ack).toEqual({ circularId: SAMPLE_CIRCULAR_ID, eventId: '$circ' });
  });

  it('refuses to build an ack with a note over the limit or a bad event id', () => {
    expect(() =>
      buildAckContent({
        circularId: SAMPLE_CIRCULAR_ID,
        eventId: '$circ',
        contentSha256: DIGEST,
        note: '字'.repeat(MAX_ACK_NOTE_CHARS + 1),
      }),
    ).toThrow(ContentInputError);
    expect(() =>
      buildAckContent({ circularId: SAMPLE_CIRCULAR_ID, eventId: 'circ', contentSha256: DIGEST }),
    ).toThrow(/m\.relates_to\/event_id/);
  });

  it('never builds an ack without the content digest that proves the circular was decrypted', () => {
    expect(() => buildAckContent({ circularId: SAMPLE_CIRCULAR_ID, eventId: '$circ' })).toThrow(
      /contentSha256/,
    );
    expect(() =>
      buildAckContent({ circularId: SAMPLE_CIRCULAR_ID, eventId: '$circ', contentSha256: 'abc' }),
    ).toThrow(/contentSha256/);
  });

  it.each<[string, unknown, string]>([
    ['null', null, ''],
    ['no relation', { [ACK_EVENT]: { circularId: SAMPLE_CIRCULAR_ID } }, '/m.relates_to'],
    [
      'a reply instead of a reference',
      {
        'm.relates_to': { 'm.in_reply_to': { event_id: '$circ' } },
        [ACK_EVENT]: { circularId: SAMPLE_CIRCULAR_ID },
      },
      '/m.relates_to/rel_type',
    ],
    [
      'an annotation (reaction)',
      {
        'm.relates_to': { rel_type: 'm.annotation', event_id: '$circ', key: '👍' },
        [ACK_EVENT]: { circularId: SAMPLE_CIRCULAR_ID },
      },
      '/m.relates_to/rel_type',
    ],
    [
      'no structured data',
      { 'm.relates_to': { rel_type: 'm.reference', event_id: '$circ' } },
      `/${ACK_EVENT}`,
    ],
    [
      'a bad circular id',
      {
        'm.relates_to': { rel_type: 'm.reference', event_id: '$circ' },
        [ACK_EVENT]: { circularId: 'x' },
      },
      `/${ACK_EVENT}/circularId`,
    ],
    [
      'an over-long note',
      {
        'm.relates_to': { rel_type: 'm.reference', event_id: '$circ' },
        [ACK_EVENT]: { circularId: SAMPLE_CIRCULAR_ID, note: 'x'.repeat(501) },
      },
      `/${ACK_EVENT}/note`,
    ],
    ['a redacted (empty) event', {}, '/m.relates_to'],
  ])('rejects %s, naming the path', (_name, content, path) => {
    const r = parseAck(content);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path)).toContain(path);
  });

  it.each<[string, unknown, boolean]>([
    ['a note of exactly the limit', { note: 'x'.repeat(MAX_ACK_NOTE_CHARS) }, true],
    ['a note one over the limit', { note: 'x'.repeat(MAX_ACK_NOTE_CHARS + 1) }, false],
    ['a note that is not a string', { note: 5 }, false],
    ['a lower-case ULID', { circularId: '01j0z8y6q3t9v2m4n5p6r7s8t9' }, true],
    ['an event id of 255 characters', { eventId: '$' + 'e'.repeat(254) }, true],
    ['an event id of 256 characters', { eventId: '$' + 'e'.repeat(255) }, false],
    ['an event id with a space', { eventId: '$a b' }, false],
    ['an array as structured data', { body: [] }, false],
    ['extra fields', { extra: true }, true],
  ])('at the edges: %s → accepted %s', (_name, patch, accepted) => {
    const p = patch as {
      note?: unknown;
      circularId?: string;
      eventId?: string;
      body?: unknown;
      extra?: boolean;
    };
    const body = p.body ?? {
      circularId: p.circularId ?? SAMPLE_CIRCULAR_ID,
      ...(p.note === undefined ? {} : { note: p.note }),
      ...(p.extra ? { x: 1 } : {}),
    };
    const content = {
      'm.relates_to': { rel_type: 'm.reference', event_id: p.eventId ?? '$circ' },
      [ACK_EVENT]: body,
    };
    expect(parseAck(content).ok).toBe(accepted);
  });
});

describe('content digest', () => {
  it('is canonical: key order and undefined fields do not change it', () => {
    const c = sampleCircular();
    const reordered = Object.fromEntries(Object.entries(c).reverse()) as typeof c;
    expect(circularDigest(reordered)).toBe(circularDigest(c));
    expect(circularDigest(c)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with any field of the content', () => {
    const c = sampleCircular();
    expect(circularDigest({ ...c, issuedAt: c.issuedAt + 1 })).not.toBe(circularDigest(c));
    expect(circularDigest({ ...c, body: `${c.body} ` })).not.toBe(circularDigest(c));
  });
});
