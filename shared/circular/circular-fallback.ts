/**
 * The readable fallback of a circular: plain `body` and HTML `formatted_body`, so that any Matrix
 * client (Element, a bot, a bridge) still shows the notice in full even though it knows nothing of
 * the structured data.
 */
import { escapeHtml, formatChinaTime } from './text';
import type { Circular } from './types';
import { URGENCY_LABELS_ZH } from './types';

/** One labelled line of the notice header, e.g. 文号：示府办〔2025〕12号. */
interface HeaderLine {
  label: string;
  value: string;
}

/** Closing line telling readers on other clients what only Hongyan can do: open encrypted attachments and acknowledge. */
function closingHint(c: Circular): string | undefined {
  const hasFiles = c.attachments.length > 0;
  if (c.ackRequired)
    return hasFiles ? '请在鸿雁客户端中查看附件并签收。' : '请在鸿雁客户端中签收。';
  return hasFiles ? '请在鸿雁客户端中查看附件。' : undefined;
}

function titleLine(c: Circular): string {
  return c.urgency === 'normal' ? c.title : `【${URGENCY_LABELS_ZH[c.urgency]}】${c.title}`;
}

function headerLines(c: Circular): HeaderLine[] {
  const lines: HeaderLine[] = [];
  if (c.docNumber !== undefined) lines.push({ label: '文号', value: c.docNumber });
  lines.push({ label: '发文单位', value: c.issuingUnit.name });
  lines.push({ label: '紧急程度', value: URGENCY_LABELS_ZH[c.urgency] });
  lines.push({ label: '发布时间', value: formatChinaTime(c.issuedAt) });
  if (c.ackRequired) {
    lines.push({
      label: '签收截止',
      value: c.ackDeadline === undefined ? '需签收（无截止时间）' : formatChinaTime(c.ackDeadline),
    });
  }
  if (c.attachments.length > 0) {
    lines.push({ label: '附件', value: c.attachments.map((a) => a.name).join('；') });
  }
  return lines;
}

/** Splits the body into paragraphs at blank lines; each paragraph keeps its line breaks. */
function paragraphs(body: string): string[] {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** Options of the fallback renderers. */
export interface FallbackOptions {
  /** Close with the hint to open Hongyan to acknowledge / see attachments (default true). */
  hint?: boolean;
}

/** Renders the plain-text fallback `body` of a circular event. */
export function renderFallbackText(c: Circular, opts: FallbackOptions = {}): string {
  const parts = [
    titleLine(c),
    headerLines(c)
      .map((l) => `${l.label}：${l.value}`)
      .join('\n'),
  ];
  const paras = paragraphs(c.body);
  if (paras.length > 0) parts.push(paras.join('\n\n'));
  const hint = opts.hint === false ? undefined : closingHint(c);
  if (hint !== undefined) parts.push(hint);
  return parts.join('\n\n');
}

/**
 * Renders the HTML fallback `formatted_body` of a circular event. Every piece of user text is
 * escaped; only tags from the Matrix spec's recommended allow-list are used.
 */
export function renderFallbackHtml(c: Circular, opts: FallbackOptions = {}): string {
  const header = headerLines(c)
    .map((l) => `<strong>${escapeHtml(l.label)}：</strong>${escapeHtml(l.value)}`)
    .join('<br>');
  const parts = [`<h3>${escapeHtml(titleLine(c))}</h3>`, `<p>${header}</p>`];
  for (const p of paragraphs(c.body)) {
    parts.push(`<p>${p.split('\n').map(escapeHtml).join('<br>')}</p>`);
  }
  const hint = opts.hint === false ? undefined : closingHint(c);
  if (hint !== undefined) parts.push(`<p><em>${escapeHtml(hint)}</em></p>`);
  return parts.join('');
}
