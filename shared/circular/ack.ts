/**
 * The wire format of an acknowledgment (签收): its own event type, `cn.hongyan.ack`, related to the
 * circular copy it acknowledges by `m.reference`, with an optional reply note (回执).
 */
import { ACK_EVENT } from '../matrix-types';
import { CIRCULAR_ID_PATTERN, circularIdSchema } from './circular-schema';
import { ContentInputError } from './circular-content';
import { CONTENT_DIGEST_PATTERN } from './content-digest';
import type { ParseResult } from './parse-result';
import { issuesToErrors } from './parse-result';
import type { Ack } from './types';
import { z } from './zod';

/** Longest reply note (回执) accepted, in characters. */
export const MAX_ACK_NOTE_CHARS = 500;

/** Matrix event ids are `$`-prefixed opaque strings of at most 255 bytes. */
const EVENT_ID_PATTERN = /^\$\S+$/;
const eventIdSchema = z
  .string()
  .max(255)
  .regex(EVENT_ID_PATTERN, { message: 'must be a Matrix event id ($…)' });

/** Content of a `cn.hongyan.ack` event. */
export interface AckContent {
  'm.relates_to': { rel_type: 'm.reference'; event_id: string };
  [ACK_EVENT]: { circularId: string; contentSha256: string; note?: string };
}

const digestSchema = z
  .string()
  .regex(CONTENT_DIGEST_PATTERN, { message: 'must be a lower-case hex SHA-256' });

/**
 * What a received ack must look like. `contentSha256` may be missing here so that the aggregation
 * can say precisely why such an ack does not count; {@link buildAckContent} always sets it.
 */
const ackContentSchema = z.object({
  'm.relates_to': z.object({ rel_type: z.literal('m.reference'), event_id: eventIdSchema }),
  [ACK_EVENT]: z.object({
    circularId: circularIdSchema,
    contentSha256: digestSchema.optional(),
    note: z.string().max(MAX_ACK_NOTE_CHARS).optional(),
  }),
});

const builtAckSchema = ackContentSchema.extend({
  [ACK_EVENT]: ackContentSchema.shape[ACK_EVENT].extend({ contentSha256: digestSchema }),
});

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function toAck(
  circularId: string,
  eventId: string,
  contentSha256: string | undefined,
  rawNote: string | undefined,
): Ack {
  const note = rawNote?.trim();
  const ack: Ack = { circularId, eventId };
  if (contentSha256 !== undefined) ack.contentSha256 = contentSha256;
  if (note !== undefined && note.length > 0) ack.note = note;
  return ack;
}

/**
 * Accepts exactly the well-formed acks {@link ackContentSchema} accepts, with plain checks. The
 * dashboard parses thousands of acks on every refresh and zod (interpreted, see zod.ts) is several
 * times slower; zod still runs for anything this rejects, to report what is wrong and where.
 */
function fastParseAck(content: unknown): Ack | undefined {
  if (!isRecord(content)) return undefined;
  const rel = content['m.relates_to'];
  const body = content[ACK_EVENT];
  if (!isRecord(rel) || !isRecord(body) || rel.rel_type !== 'm.reference') return undefined;
  const { event_id: eventId } = rel;
  const { circularId, contentSha256, note } = body;
  if (typeof eventId !== 'string' || eventId.length > 255 || !EVENT_ID_PATTERN.test(eventId))
    return undefined;
  if (typeof circularId !== 'string' || !CIRCULAR_ID_PATTERN.test(circularId)) return undefined;
  if (
    contentSha256 !== undefined &&
    (typeof contentSha256 !== 'string' || !CONTENT_DIGEST_PATTERN.test(contentSha256))
  )
    return undefined;
  if (note !== undefined && (typeof note !== 'string' || note.length > MAX_ACK_NOTE_CHARS))
    return undefined;
  return toAck(circularId, eventId, contentSha256, note);
}

/**
 * Parses the content of a received `cn.hongyan.ack` event. Never throws. A blank note counts as
 * no note. Whether the ack is *valid for a given circular* (right event, right sender) is decided
 * by the aggregation, which knows the recipients.
 */
export function parseAck(content: unknown): ParseResult<'ack', Ack> {
  const fast = fastParseAck(content);
  if (fast !== undefined) return { ok: true, ack: fast };
  const r = ackContentSchema.safeParse(content);
  if (!r.success) return { ok: false, errors: issuesToErrors(r.error.issues) };
  return {
    ok: true,
    ack: toAck(
      r.data[ACK_EVENT].circularId,
      r.data['m.relates_to'].event_id,
      r.data[ACK_EVENT].contentSha256,
      r.data[ACK_EVENT].note,
    ),
  };
}

/**
 * Builds the content of an acknowledgment of one circular copy. `contentSha256` is the
 * `circularDigest` of the decrypted circular: the proof that the acknowledging client holds it.
 *
 * @throws {ContentInputError} if the circular id, event id or digest is malformed or missing, or the
 *   note is too long.
 */
export function buildAckContent(ack: Ack): AckContent {
  const note = ack.note?.trim();
  const body = { circularId: ack.circularId, contentSha256: ack.contentSha256 ?? '' };
  const content: AckContent = {
    'm.relates_to': { rel_type: 'm.reference', event_id: ack.eventId },
    [ACK_EVENT]: note !== undefined && note.length > 0 ? { ...body, note } : body,
  };
  const r = builtAckSchema.safeParse(content);
  if (!r.success) throw new ContentInputError('acknowledgment', issuesToErrors(r.error.issues));
  return content;
}
