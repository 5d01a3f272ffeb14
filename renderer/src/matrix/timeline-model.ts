import { EventType, RelationType, type MatrixEvent } from 'matrix-js-sdk';
import { displayDayKey } from '../i18n/date-format';
import type { NoticeRoomFlag } from '../../../shared/circular/origin';
import type { EncryptedFileInfo } from '../../../shared/encrypted-file';
import type { FileView, NoticeText, ReactionSummary, TimelineItem } from '../store/timeline-items';

/** What the mapping needs beyond the events themselves. */
export interface TimelineContext {
  myUserId: string;
  /** Display name of a user in this room (falls back to the Matrix ID). */
  nameOf(userId: string): string;
  /**
   * The decrypted type of an encrypted event seen earlier. Redaction wipes the decrypted event, so
   * without it a deleted reaction could not be told from a deleted message.
   */
  clearTypeOf?(eventId: string): string | undefined;
  /** The provisioning account that created this managed room, if it is one: its changes are the system's. */
  serviceAccount?: string;
  /** Notice rooms: the flag of a message event, if it has one. */
  flagOf?(event: MatrixEvent): NoticeRoomFlag | undefined;
}

/** Removes the quoted reply fallback that older clients put at the top of a reply's body. */
export function stripReplyFallback(body: string): string {
  const lines = body.split('\n');
  let i = 0;
  while (i < lines.length && lines[i]?.startsWith('> ')) i++;
  if (i > 0 && lines[i] === '') return lines.slice(i + 1).join('\n');
  return body;
}

function fileView(content: Record<string, unknown>): FileView | null {
  const info = (content['info'] ?? {}) as Record<string, unknown>;
  const file = (content['file'] ?? null) as EncryptedFileInfo | null;
  const url = typeof content['url'] === 'string' ? content['url'] : null;
  if (!file && !url) return null;
  return {
    file,
    plainUrl: file ? null : url,
    name: String(content['filename'] ?? content['body'] ?? 'file'),
    mimeType: String(info['mimetype'] ?? 'application/octet-stream'),
    size: Number(info['size'] ?? 0),
    ...(typeof info['w'] === 'number' ? { width: info['w'] } : {}),
    ...(typeof info['h'] === 'number' ? { height: info['h'] } : {}),
    thumbnail: (info['thumbnail_file'] ?? null) as EncryptedFileInfo | null,
  };
}

function flagOf(
  e: MatrixEvent,
  ctx: TimelineContext,
  redacted: boolean,
): { flag?: NoticeRoomFlag } {
  const flag = redacted ? undefined : ctx.flagOf?.(e);
  return flag ? { flag } : {};
}

/** The transaction ID of an own event's remote echo (the server returns it to the sending device). */
function txnIdOf(e: MatrixEvent): { txnId?: string } {
  const txnId = e.getUnsigned().transaction_id ?? e.getTxnId();
  return typeof txnId === 'string' ? { txnId } : {};
}

function mentions(content: Record<string, unknown>, body: string, ctx: TimelineContext): boolean {
  const m = content['m.mentions'] as { user_ids?: unknown } | undefined;
  if (m && Array.isArray(m.user_ids)) return m.user_ids.includes(ctx.myUserId);
  return body.includes(ctx.myUserId) || body.includes(`@${ctx.nameOf(ctx.myUserId)}`);
}

function notice(e: MatrixEvent, ctx: TimelineContext): NoticeText | null {
  const text = noticeOf(e, ctx);
  const actorId =
    e.getType() === EventType.RoomMember && text?.key !== 'invited'
      ? e.getStateKey()
      : e.getSender();
  if (text && ctx.serviceAccount !== undefined && actorId === ctx.serviceAccount)
    return { ...text, actor: '', system: true };
  return text;
}

function noticeOf(e: MatrixEvent, ctx: TimelineContext): NoticeText | null {
  const sender = ctx.nameOf(e.getSender() ?? '');
  switch (e.getType()) {
    case EventType.RoomMember: {
      const content = e.getContent();
      const membership = content['membership'];
      const prevContent = e.getPrevContent();
      const prev = prevContent['membership'];
      const target = e.getStateKey() ?? '';
      if (membership === 'join' && prev === 'join') {
        // A profile change, not a join: say so when the display name changed, else nothing.
        const name = content['displayname'];
        return typeof name === 'string' && name !== prevContent['displayname']
          ? {
              key: 'nameChanged',
              actor: String(prevContent['displayname'] ?? target),
              target: name,
            }
          : null;
      }
      // A state event that replaced another, without its previous content: a profile change of a
      // member whose earlier state this client never saw; never report it as a join.
      if (membership === 'join' && prev === undefined && e.getUnsigned().replaces_state)
        return null;
      if (membership === 'join' && prev !== 'join')
        return { key: 'joined', actor: ctx.nameOf(target) };
      if (membership === 'leave' && prev === 'join')
        return { key: 'left', actor: ctx.nameOf(target) };
      if (membership === 'invite')
        return { key: 'invited', actor: sender, target: ctx.nameOf(target) };
      return null;
    }
    case EventType.RoomEncryption:
      return { key: 'encryptionOn', actor: sender };
    case EventType.RoomName:
      return { key: 'renamed', actor: sender, target: String(e.getContent()['name'] ?? '') };
    case EventType.RoomCreate:
      return { key: 'created', actor: sender };
    default:
      return null;
  }
}

/**
 * Maps a room's live events (oldest first) to timeline rows: edits applied, reactions summed,
 * replies resolved, redactions shown as such, day separators inserted, undecryptable events
 * explained. Pure: the same events give the same rows.
 */
export function toTimelineItems(
  events: readonly MatrixEvent[],
  ctx: TimelineContext,
): TimelineItem[] {
  const byId = new Map<string, MatrixEvent>();
  const edits = new Map<string, MatrixEvent>();
  const reactions = new Map<string, Map<string, ReactionSummary>>();
  for (const e of events) {
    const id = e.getId();
    if (id) byId.set(id, e);
    const rel = e.getRelation();
    if (!rel?.event_id || e.isRedacted()) continue;
    if (rel.rel_type === RelationType.Replace && e.getType() === EventType.RoomMessage) {
      const target = byId.get(rel.event_id);
      // Only the original sender may edit; later edits win.
      if (!target || target.getSender() === e.getSender()) edits.set(rel.event_id, e);
    } else if (
      rel.rel_type === RelationType.Annotation &&
      e.getType() === EventType.Reaction &&
      rel.key
    ) {
      const perKey = reactions.get(rel.event_id) ?? new Map<string, ReactionSummary>();
      const r = perKey.get(rel.key) ?? { key: rel.key, count: 0, myEventId: null };
      perKey.set(rel.key, {
        ...r,
        count: r.count + 1,
        myEventId: e.getSender() === ctx.myUserId ? (id ?? null) : r.myEventId,
      });
      reactions.set(rel.event_id, perKey);
    }
  }

  const rows: TimelineItem[] = [];
  let lastDay = '';
  const pushDay = (ts: number) => {
    const key = displayDayKey(ts);
    if (key !== lastDay) {
      lastDay = key;
      rows.push({ kind: 'day', id: `day:${key}`, ts });
    }
  };
  for (const e of events) {
    const id = e.getId();
    if (!id) continue;
    const ts = e.getTs();
    const sender = e.getSender() ?? '';
    if (e.isDecryptionFailure()) {
      pushDay(ts);
      rows.push({
        kind: 'undecryptable',
        id,
        sender,
        senderName: ctx.nameOf(sender),
        ts,
        reason: e.decryptionFailureReason ?? 'UNKNOWN_ERROR',
        mine: sender === ctx.myUserId,
      });
      continue;
    }
    const type =
      e.isRedacted() && e.getType() === EventType.RoomMessageEncrypted
        ? (ctx.clearTypeOf?.(id) ?? EventType.RoomMessage)
        : e.getType();
    if (type !== EventType.RoomMessage) {
      const text = notice(e, ctx);
      if (text) {
        pushDay(ts);
        rows.push({ kind: 'notice', id, ts, text });
      }
      continue;
    }
    const rel = e.getRelation();
    if (rel?.rel_type === RelationType.Replace) continue; // shown through the original
    const edit = edits.get(id);
    const content =
      (edit?.getContent()['m.new_content'] as Record<string, unknown> | undefined) ??
      e.getContent();
    const redacted = e.isRedacted();
    const rawBody = typeof content['body'] === 'string' ? content['body'] : '';
    const replyId = (
      e.getContent()['m.relates_to'] as { 'm.in_reply_to'?: { event_id?: string } } | undefined
    )?.['m.in_reply_to']?.event_id;
    const replied = replyId ? byId.get(replyId) : undefined;
    const body = replyId ? stripReplyFallback(rawBody) : rawBody;
    pushDay(ts);
    rows.push({
      kind: 'message',
      id,
      sender,
      senderName: ctx.nameOf(sender),
      ts,
      msgtype: String(content['msgtype'] ?? 'm.text'),
      body: redacted ? '' : body,
      html:
        !redacted &&
        content['format'] === 'org.matrix.custom.html' &&
        typeof content['formatted_body'] === 'string'
          ? content['formatted_body']
          : null,
      edited: !!edit,
      redacted,
      encrypted: e.isEncrypted(),
      mine: sender === ctx.myUserId,
      mentionsMe: !redacted && sender !== ctx.myUserId && mentions(content, body, ctx),
      replyTo: replyId
        ? {
            eventId: replyId,
            senderName: replied ? ctx.nameOf(replied.getSender() ?? '') : '',
            body: replied ? stripReplyFallback(String(replied.getContent()['body'] ?? '')) : '',
          }
        : null,
      reactions: [...(reactions.get(id)?.values() ?? [])],
      file: redacted ? null : fileView(content),
      ...txnIdOf(e),
      ...flagOf(e, ctx, redacted),
    });
  }
  return rows;
}
