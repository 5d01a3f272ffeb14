/**
 * Turns errors (from the homeserver, the network, the SDK, validation) into a plain sentence in the
 * user's language that says what to do, keeping the technical detail apart for a "详情" toggle.
 * Raw messages such as "power level 0 < 50" or "/targets select at least one target unit" are never
 * the sentence itself.
 */
import type { TFunction } from 'i18next';
import type { ParseError } from '../../../shared/circular/parse-result';

/** What the user reads, and the technical detail behind it. */
export interface ErrorText {
  text: string;
  /** The original message (often English), shown only on request. */
  detail?: string;
}

/** The error kinds with their own sentence (`errors.<kind>`). */
export type ErrorKind =
  | 'forbidden'
  | 'rateLimited'
  | 'notFound'
  | 'tooLarge'
  | 'signedOut'
  | 'badRequest'
  | 'network'
  | 'server'
  | 'unknown';

interface ErrorLike {
  errcode?: unknown;
  httpStatus?: unknown;
  name?: unknown;
  message?: unknown;
}

function detailOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/** Classifies an error by its Matrix error code, HTTP status or message. */
export function errorKind(err: unknown): ErrorKind {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  const message = typeof e.message === 'string' ? e.message : typeof err === 'string' ? err : '';
  switch (e.errcode) {
    case 'M_FORBIDDEN':
      return 'forbidden';
    case 'M_LIMIT_EXCEEDED':
      return 'rateLimited';
    case 'M_NOT_FOUND':
      return 'notFound';
    case 'M_TOO_LARGE':
      return 'tooLarge';
    case 'M_UNKNOWN_TOKEN':
    case 'M_MISSING_TOKEN':
      return 'signedOut';
    case 'M_BAD_JSON':
    case 'M_NOT_JSON':
    case 'M_INVALID_PARAM':
    case 'M_MISSING_PARAM':
      return 'badRequest';
  }
  const status =
    typeof e.httpStatus === 'number' ? e.httpStatus : Number(/HTTP (\d{3})/.exec(message)?.[1]);
  if (status === 401) return 'signedOut';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 413) return 'tooLarge';
  if (status === 429) return 'rateLimited';
  if (status >= 500) return 'server';
  if (status >= 400) return 'badRequest';
  if (/power level|user_level|send_level|not allowed|permission/i.test(message)) return 'forbidden';
  if (/malformed|invalid|must be|required/i.test(message)) return 'badRequest';
  if (e.name === 'ConnectionError' || /failed to fetch|network|timed? ?out/i.test(message))
    return 'network';
  return 'unknown';
}

/** The plain sentence for an error, with the original message as detail. */
export function explainError(t: TFunction, err: unknown): ErrorText {
  return { text: t(`errors.${errorKind(err)}`), detail: detailOf(err) };
}

/** Fields of a circular draft with their own sentence (`errors.field.<name>`). */
const FIELDS = [
  'title',
  'docNumber',
  'issuingUnit',
  'urgency',
  'ackDeadline',
  'attachments',
  'targets',
  'unitCodes',
  'body',
  'id',
  'circularId',
] as const;

/**
 * The plain sentence for a validation error of a circular draft, found by the field its path names
 * (`/targets`, `/cn.hongyan.circular/title`, `/unitCodes/2` …), with the raw path and message as
 * detail.
 */
export function explainFieldError(t: TFunction, e: ParseError): ErrorText {
  const segments = e.path.split('/');
  const field = FIELDS.find((f) => segments.includes(f));
  return {
    text: field ? t(`errors.field.${field}`) : t('errors.field.other'),
    detail: `${e.path} ${e.message}`.trim(),
  };
}

/** `t(key)` with the error's plain sentence as `{{error}}`, keeping its detail. */
export function explainErrorAs(t: TFunction, key: string, err: unknown): ErrorText {
  const e = explainError(t, err);
  return {
    text: t(key, { error: e.text, reason: e.text }),
    ...(e.detail ? { detail: e.detail } : {}),
  };
}
