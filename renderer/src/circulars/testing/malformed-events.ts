/**
 * fast-check arbitraries of hostile circular and ack content: a well-formed event, then one to three
 * mutations anywhere in it (wrong types, missing fields, huge strings, invalid relations, bad
 * urgency, NaN dates, deeply nested junk, HTML in every text field). Starting from what the real
 * builders produce keeps the generator honest when the wire format changes.
 */
import fc from 'fast-check';
import { circularDigest } from '../../../../shared/circular/content-digest';
import { buildAckContent } from '../../../../shared/circular/ack';
import { buildCircularContent } from '../../../../shared/circular/circular-content';
import { sampleCircular, SAMPLE_CIRCULAR_ID } from '../../../../shared/circular/test-fixtures';
import { ACK_EVENT, CIRCULAR_MSGTYPE } from '../../../../shared/matrix-types';
import {
  clone,
  genericMutations,
  hostileVariant,
  setAt,
  wrongTyped,
} from '../../../../shared/fuzz/hostile-json';
import type { Json, Mutator } from '../../../../shared/fuzz/hostile-json';

/** The kinds of damage done to an event. */
export const MUTATIONS = [
  'wrong-type',
  'missing-field',
  'huge-string',
  'invalid-relation',
  'bad-urgency',
  'nan-date',
  'nested-junk',
  'html-everywhere',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** One generated event and what was done to it. */
export interface HostileEvent {
  kind: 'circular' | 'ack';
  content: Record<string, unknown>;
  mutations: string[];
}

const badDate = fc.constantFrom(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -1,
  1e300,
  '2025-06-01',
  'NaN',
  null,
);

const badRelation = fc.oneof(
  fc.constant(undefined),
  fc.record({
    rel_type: fc.constantFrom('m.reference', 'm.replace', 'm.thread', 'm.annotation', '', 42),
    event_id: fc.oneof(
      fc.constantFrom(
        '',
        '$',
        'not-an-event-id',
        '$ spaced id',
        '$'.padEnd(300, 'x'),
        '$unknown:s',
      ),
      fc.integer(),
      fc.constant(null),
    ),
  }),
  fc.array(fc.record({ rel_type: fc.constant('m.reference'), event_id: fc.constant('$x') })),
  wrongTyped,
);

/** The mutations specific to circulars and acks, on top of the generic ones. */
function eventMutations(kind: 'circular' | 'ack'): fc.Arbitrary<Mutator>[] {
  const field = kind === 'circular' ? CIRCULAR_MSGTYPE : ACK_EVENT;
  return [
    ...genericMutations((p) => p[0] === 'msgtype'),
    badRelation.map((r) => (c: Json) => {
      setAt(c, ['m.relates_to'], clone(r));
      return 'invalid-relation';
    }),
    fc.oneof(fc.string({ maxLength: 12 }), wrongTyped).map((u) => (c: Json) => {
      setAt(c, [field, 'urgency'], u);
      return 'bad-urgency';
    }),
    fc.tuple(fc.constantFrom('issuedAt', 'ackDeadline'), badDate).map(([name, d]) => (c: Json) => {
      setAt(c, [field, name], d);
      return `nan-date ${name}`;
    }),
  ];
}

/**
 * A circular's `msgtype` is never touched (see `eventMutations`): without it the event is an
 * ordinary message, not a circular that must show as untrusted.
 */
function hostile(kind: 'circular' | 'ack', base: () => Json): fc.Arbitrary<HostileEvent> {
  return hostileVariant(base, eventMutations(kind)).map(({ content, mutations }) => ({
    kind,
    content: content as Record<string, unknown>,
    mutations,
  }));
}

/** A circular event's content, damaged. */
export const hostileCircular: fc.Arbitrary<HostileEvent> = hostile(
  'circular',
  () => buildCircularContent({ circular: sampleCircular() }) as unknown as Json,
);

/** An ack's content (of the copy `copyEventId`), damaged. */
export function hostileAck(copyEventId: string): fc.Arbitrary<HostileEvent> {
  return hostile(
    'ack',
    () =>
      buildAckContent({
        circularId: SAMPLE_CIRCULAR_ID,
        eventId: copyEventId,
        contentSha256: circularDigest(sampleCircular()),
      }) as unknown as Json,
  );
}

/** A mix of damaged circulars and acks, about half each. */
export function hostileEvent(copyEventId: string): fc.Arbitrary<HostileEvent> {
  return fc.oneof(hostileCircular, hostileAck(copyEventId));
}
