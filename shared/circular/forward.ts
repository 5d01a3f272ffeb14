/**
 * Forwarding a circular into a chat (转发): the notice as an ordinary formatted message, then each
 * attachment as an ordinary file message reusing the original encrypted file.
 *
 * A forward is deliberately *not* a circular: it carries no `cn.hongyan.circular` msgtype, so it
 * cannot be acknowledged, is never counted on the issuer's dashboard and cannot pose as a copy of
 * the fan-out. It names the circular it came from so clients can show "转发的通知". A circular
 * marked no-forward is refused here, whatever the UI shows.
 */
import { HTML_FORMAT } from './circular-content';
import { renderFallbackHtml, renderFallbackText } from './circular-fallback';
import { escapeHtml } from './text';
import type { Circular } from './types';

/** Key of the forward marker in a forwarded message's content. */
export const FORWARDED_CIRCULAR_KEY = 'cn.hongyan.forwarded_circular';

/** What a forwarded message says of its origin. */
export interface ForwardedCircularRef {
  id: string;
  title: string;
  docNumber?: string;
  issuingUnit: string;
}

/** The events of one forward, in sending order: the text first, then one per attachment. */
export type ForwardResult =
  { ok: true; contents: Record<string, unknown>[] } | { ok: false; reason: 'no_forward' };

/**
 * Builds the messages that forward `circular`. Attachments keep their encrypted file (URL, key,
 * hashes): the key only ever travels inside an encrypted event, so forward into encrypted rooms
 * only (the app's rooms all are).
 */
export function buildCircularForward(circular: Circular): ForwardResult {
  if (circular.noForward) return { ok: false, reason: 'no_forward' };
  const ref: ForwardedCircularRef = {
    id: circular.id,
    title: circular.title,
    ...(circular.docNumber !== undefined ? { docNumber: circular.docNumber } : {}),
    issuingUnit: circular.issuingUnit.name,
  };
  const lead = `【转发通知】${circular.issuingUnit.name}`;
  const text: Record<string, unknown> = {
    msgtype: 'm.text',
    body: `${lead}\n\n${renderFallbackText(circular, { hint: false })}`,
    format: HTML_FORMAT,
    formatted_body: `<p><em>${escapeHtml(lead)}</em></p>${renderFallbackHtml(circular, { hint: false })}`,
    [FORWARDED_CIRCULAR_KEY]: ref,
  };
  const files = circular.attachments.map((a) => ({
    msgtype: 'm.file',
    body: a.name,
    filename: a.name,
    info: { mimetype: a.mimetype, size: a.size },
    file: a.file,
    [FORWARDED_CIRCULAR_KEY]: ref,
  }));
  return { ok: true, contents: [text, ...files] };
}
