/**
 * The result shape shared by every parser of untrusted event content: parsers never throw, they say
 * what is wrong and where.
 */
import type { z } from './zod';

/** One problem found in untrusted input. */
export interface ParseError {
  /** JSON Pointer (RFC 6901) into the event content, e.g. `/cn.hongyan.circular/attachments/0/file/url`; `""` is the whole content. */
  path: string;
  /** What is wrong, in plain words. */
  message: string;
}

/** Outcome of parsing untrusted input: the typed value, or every problem found (capped). */
export type ParseResult<K extends string, T> =
  ({ ok: true } & { [key in K]: T }) | { ok: false; errors: ParseError[] };

/** More than this many errors is noise; the first ones say enough. */
export const MAX_PARSE_ERRORS = 20;

/** Escapes one JSON Pointer reference token (RFC 6901 §3). */
function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Builds a JSON Pointer from path segments. */
export function toJsonPointer(segments: readonly PropertyKey[]): string {
  return segments
    .map((s) => '/' + escapePointerToken(typeof s === 'symbol' ? (s.description ?? '') : String(s)))
    .join('');
}

/** Converts zod issues into {@link ParseError}s, capped at {@link MAX_PARSE_ERRORS}. */
export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): ParseError[] {
  return issues.slice(0, MAX_PARSE_ERRORS).map((issue) => ({
    path: toJsonPointer([...prefix, ...issue.path]),
    message: issue.message,
  }));
}
