import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isPending } from '../../../shared/circular/inbox';
import { useAppStore } from '../store/store-context';
import type { InboxEntry } from '../store/circulars-slice';
import { AwaitingKeyItems } from './awaiting-key-items';
import { deadlineText, formatTime } from './format';
import { SentBy } from './sent-by';

/** Re-renders every minute so countdowns stay current. */
export function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

/** The urgency badge (普通/加急/特急). */
export function UrgencyBadge({ urgency }: { urgency: InboxEntry['circular']['urgency'] }) {
  const { t } = useTranslation();
  return <span className={`urgency urgency-${urgency}`}>{t(`circulars.urgency.${urgency}`)}</span>;
}

/** Every circular the user received, across all notice rooms: pending first, then done. */
export function InboxList({ onOpen }: { onOpen(entry: InboxEntry): void }) {
  const { t } = useTranslation();
  const entries = useAppStore((s) => s.circularInbox);
  const invalid = useAppStore((s) => s.invalidCirculars);
  const all = useAppStore((s) => s.awaitingKeys);
  // The key-grant pass that clears a waiting row runs after the copy decrypts, so for a moment a
  // copy can be both readable and still listed as waiting: the readable entry wins.
  const awaiting = useMemo(() => {
    const shown = new Set([...entries, ...invalid].map((e) => e.eventId));
    return all.filter((e) => e.kind === 'circular' && !shown.has(e.eventId));
  }, [all, entries, invalid]);
  const now = useNow();
  const pending = entries.filter(
    (e) => e.circular.ackRequired && e.status !== 'acknowledged',
  ).length;
  return (
    <section className="circ-panel" data-testid="circular-inbox">
      <header className="circ-panel-head">
        <h1>{t('circulars.inbox.title')}</h1>
        {pending > 0 && (
          <span className="circ-count">{t('circulars.inbox.pending', { count: pending })}</span>
        )}
      </header>
      {entries.length === 0 && invalid.length === 0 && awaiting.length === 0 && (
        <p className="muted">{t('circulars.inbox.empty')}</p>
      )}
      <ul className="circ-list">
        <AwaitingKeyItems entries={awaiting} />
        {entries.map((e) => {
          const d = deadlineText(t, {
            ...e.circular,
            ...(e.ackedAt !== undefined ? { ackedAt: e.ackedAt } : {}),
            now,
          });
          const pendingItem = isPending({ ...e.circular, status: e.status });
          return (
            <li key={e.eventId}>
              <button
                type="button"
                className={`circ-item${pendingItem ? ' pending' : ''}`}
                data-testid="inbox-item"
                data-status={e.status}
                onClick={() => onOpen(e)}
              >
                <span className="circ-item-top">
                  <UrgencyBadge urgency={e.circular.urgency} />
                  <span className="circ-item-title">{e.circular.title}</span>
                  <span className={`circ-status status-${e.status}`}>
                    {t(`circulars.status.${e.status}`)}
                  </span>
                </span>
                <span className="circ-item-meta">
                  <span>{e.circular.issuingUnit.name}</span>
                  {e.circular.docNumber && <span>{e.circular.docNumber}</span>}
                  <span>{formatTime(e.circular.issuedAt)}</span>
                  <SentBy
                    senderId={e.senderId}
                    senderName={e.senderName}
                    unitName={e.circular.issuingUnit.name}
                    serverTs={e.ts}
                    issuedAt={e.circular.issuedAt}
                  />
                  <span className={`deadline tone-${d.tone}`} data-testid="inbox-deadline">
                    {d.text}
                  </span>
                  {e.ackQueued && (
                    <span className="circ-queued">{t('circulars.inbox.queued')}</span>
                  )}
                </span>
              </button>
            </li>
          );
        })}
        {invalid.map((e) => (
          <li key={e.eventId} className="circ-invalid" data-testid="invalid-circular">
            <div className="circ-warning">
              {t(`circulars.invalid.${e.kind}`)}{' '}
              <span className="muted">{t('circulars.invalid.detail', { detail: e.detail })}</span>
            </div>
            {e.claimed && (
              <div className="circ-claimed">
                {t('circulars.invalid.claimed', {
                  unit: e.claimed.issuingUnit,
                  title: e.claimed.title,
                  time: formatTime(e.claimed.issuedAt),
                })}
              </div>
            )}
            <SentBy
              senderId={e.senderId}
              senderName={e.senderName}
              serverTs={e.ts}
              issuedAt={e.claimed?.issuedAt ?? e.ts}
            />
            <pre className="circ-plain">{e.body}</pre>
          </li>
        ))}
      </ul>
    </section>
  );
}
