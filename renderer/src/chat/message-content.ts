import { marked } from 'marked';

/** A user mentioned in the composer (picked from the autocomplete). */
export interface Mention {
  userId: string;
  name: string;
}

/** Parameters of {@link buildTextContent}. */
export interface TextContentParams {
  text: string;
  mentions?: Mention[];
  /** The message this one answers. */
  replyTo?: { eventId: string } | null;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Renders Markdown to HTML, or null when the text has no formatting worth sending as HTML. */
export function markdownToHtml(text: string): string | null {
  const html = (marked.parse(text, { async: false, gfm: true, breaks: true }) as string).trim();
  const plain = `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`;
  if (html === plain || html === `<p>${escapeHtml(text)}</p>`) return null;
  return html.replace(/^<p>([\s\S]*)<\/p>$/, (m, inner: string) =>
    inner.includes('<p>') ? m : inner,
  );
}

/**
 * Builds the content of a text message: Markdown rendered to `formatted_body` when it formats
 * something, intentional mentions in `m.mentions` (so only they are highlighted), and the reply
 * relation. Replies carry no quoted fallback: the spec no longer requires it, and quoting would
 * copy text into a message the other person may not be allowed to see.
 */
export function buildTextContent(params: TextContentParams): Record<string, unknown> {
  const text = params.text.trim();
  const mentioned = (params.mentions ?? []).filter((m) => text.includes(m.name));
  let html = markdownToHtml(text);
  if (mentioned.length > 0) {
    let base = html ?? escapeHtml(text).replace(/\n/g, '<br>');
    for (const m of mentioned) {
      base = base.replace(
        escapeHtml(m.name),
        `<a href="https://matrix.to/#/${encodeURIComponent(m.userId)}">${escapeHtml(m.name)}</a>`,
      );
    }
    html = base;
  }
  return {
    msgtype: 'm.text',
    body: text,
    ...(html ? { format: 'org.matrix.custom.html', formatted_body: html } : {}),
    'm.mentions': { user_ids: [...new Set(mentioned.map((m) => m.userId))] },
    ...(params.replyTo
      ? { 'm.relates_to': { 'm.in_reply_to': { event_id: params.replyTo.eventId } } }
      : {}),
  };
}

/** Content of an edit (`m.replace`) of `originalId` with new text. */
export function buildEditContent(
  originalId: string,
  params: TextContentParams,
): Record<string, unknown> {
  const { 'm.relates_to': _reply, ...newContent } = buildTextContent({ ...params, replyTo: null });
  return {
    ...newContent,
    body: `* ${String(newContent['body'])}`,
    ...(newContent['formatted_body']
      ? { formatted_body: `* ${String(newContent['formatted_body'])}` }
      : {}),
    'm.new_content': newContent,
    'm.relates_to': { rel_type: 'm.replace', event_id: originalId },
  };
}

/** Content of a reaction to `eventId`. */
export function buildReactionContent(eventId: string, key: string): Record<string, unknown> {
  return { 'm.relates_to': { rel_type: 'm.annotation', event_id: eventId, key } };
}
