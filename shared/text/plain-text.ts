/**
 * Message bodies as plain text for previews (the room list's last message). Pure, so the Matrix
 * adapter that builds room summaries and the chat views share one reading.
 */
import { marked } from 'marked';

const ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** Characters that may make Markdown; a body without any is already plain. */
const MARKDOWN_SIGN = /[*_`#>[\]~|<&\\-]|^\s*\d+\./m;

/**
 * A message body as one line of plain text, Markdown formatting removed (`**重要**` → 重要, links
 * → their text, list markers and headings dropped), for previews such as the room list. The
 * result is text for a text node, never HTML.
 */
export function markdownToPlainText(body: string): string {
  if (!MARKDOWN_SIGN.test(body)) return body.replace(/\s+/g, ' ').trim();
  const html = marked.parse(body, { async: false, gfm: true, breaks: true }) as string;
  return html
    .replace(/<br\s*\/?>|<\/(?:p|li|h[1-6]|blockquote|pre|tr|td|th)>/g, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e)
    .replace(/\s+/g, ' ')
    .trim();
}
