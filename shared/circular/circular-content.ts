/**
 * The wire format of a circular: an `m.room.message` whose `msgtype` is `cn.hongyan.circular`,
 * with a readable fallback and the structured data under the `cn.hongyan.circular` key.
 */
import { CIRCULAR_MSGTYPE } from '../matrix-types';
import { circularSchema } from './circular-schema';
import { renderFallbackHtml, renderFallbackText } from './circular-fallback';
import type { ParseError, ParseResult } from './parse-result';
import { issuesToErrors } from './parse-result';
import { utf8ByteLength } from './text';
import type { Circular } from './types';
import { z } from './zod';

/** `format` of an HTML `formatted_body` (Matrix spec). */
export const HTML_FORMAT = 'org.matrix.custom.html';

/**
 * Largest serialised content we send, in UTF-8 bytes. Synapse rejects events over 65,536 bytes;
 * in an encrypted room the content is Megolm-encrypted and base64-encoded (×4/3) and wrapped in an
 * envelope of a couple of kilobytes, so 40,000 bytes of plaintext leaves a safe margin. The text
 * appears three times (structured, plain, HTML): keep long documents in attachments.
 */
export const MAX_CIRCULAR_CONTENT_BYTES = 40_000;

/** Content of a circular event, as sent. */
export interface CircularContent {
  msgtype: typeof CIRCULAR_MSGTYPE;
  /** Plain-text fallback for clients that know nothing of circulars. */
  body: string;
  format: typeof HTML_FORMAT;
  /** HTML fallback (escaped user text). */
  formatted_body: string;
  /** Intentional mentions: none by default, or the whole room for a notice that must notify everyone. */
  'm.mentions': { room?: true };
  [CIRCULAR_MSGTYPE]: Circular;
}

const contentSchema = z.object({
  msgtype: z.literal(CIRCULAR_MSGTYPE),
  body: z.string(),
  [CIRCULAR_MSGTYPE]: z.unknown(),
});

/**
 * Parses and validates the content of a received event as a circular. Never throws: anything that
 * is not a well-formed circular yields `ok: false` with every problem and its JSON Pointer, so the
 * caller can show the event as a plain message with a warning.
 */
export function parseCircular(content: unknown): ParseResult<'circular', Circular> {
  const outer = contentSchema.safeParse(content);
  if (!outer.success) return { ok: false, errors: issuesToErrors(outer.error.issues) };
  const inner = circularSchema.safeParse(outer.data[CIRCULAR_MSGTYPE]);
  if (!inner.success)
    return { ok: false, errors: issuesToErrors(inner.error.issues, [CIRCULAR_MSGTYPE]) };
  return { ok: true, circular: inner.data };
}

/** Thrown by builders when their input is not valid; lists every problem. */
export class ContentInputError extends Error {
  /** Every problem found, each with a JSON Pointer into the built content. */
  readonly errors: readonly ParseError[];

  constructor(what: string, errors: readonly ParseError[]) {
    super(`invalid ${what}: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`);
    this.name = 'ContentInputError';
    this.errors = errors;
  }
}

/** Input of {@link buildCircularContent}. */
export interface BuildCircularInput {
  circular: Circular;
  /** Mention the whole room (`@room`) so every member is notified, e.g. for 特急 notices. Default false. */
  notifyRoom?: boolean;
}

/**
 * Builds the content of a circular event: fallback text and HTML plus the structured data.
 *
 * @throws {ContentInputError} if the circular is invalid (the same rules as {@link parseCircular})
 *   or the content would exceed {@link MAX_CIRCULAR_CONTENT_BYTES}.
 */
export function buildCircularContent(input: BuildCircularInput): CircularContent {
  const checked = circularSchema.safeParse(input.circular);
  if (!checked.success)
    throw new ContentInputError(
      'circular',
      issuesToErrors(checked.error.issues, [CIRCULAR_MSGTYPE]),
    );
  const circular = checked.data;
  const content: CircularContent = {
    msgtype: CIRCULAR_MSGTYPE,
    body: renderFallbackText(circular),
    format: HTML_FORMAT,
    formatted_body: renderFallbackHtml(circular),
    'm.mentions': input.notifyRoom === true ? { room: true } : {},
    [CIRCULAR_MSGTYPE]: circular,
  };
  const bytes = utf8ByteLength(JSON.stringify(content));
  if (bytes > MAX_CIRCULAR_CONTENT_BYTES) {
    throw new ContentInputError('circular', [
      {
        path: `/${CIRCULAR_MSGTYPE}/body`,
        message: `content is ${bytes} bytes, over the ${MAX_CIRCULAR_CONTENT_BYTES}-byte limit; shorten the text or move it into an attachment`,
      },
    ]);
  }
  return content;
}
