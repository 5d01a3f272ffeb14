import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NoticeText } from '../store/timeline-items';
import type { NoticeItem } from './timeline-rows';

/** Who a change names: the org's provisioning account is the system, not a person. */
function useActorName(): (text: NoticeText) => string {
  const { t } = useTranslation();
  return (text) => (text.system ? t('chat.timeline.system') : text.actor);
}

/** One membership or room-setting change, as a line in the user's language. */
export function NoticeLine({ text }: { text: NoticeText }) {
  const { t } = useTranslation();
  const actor = useActorName();
  return (
    <div className="notice muted">
      {t(`chat.timeline.notice.${text.key}`, { actor: actor(text), target: text.target ?? '' })}
    </div>
  );
}

/**
 * A run of changes drawn as one line that names who took part and how many changes there were
 * (as Element folds membership events); the user can open it to read each one.
 */
export function NoticeRunRow({ items }: { items: readonly NoticeItem[] }) {
  const { t } = useTranslation();
  const actor = useActorName();
  const [open, setOpen] = useState(false);
  // Everyone who acted, and whom they invited (other targets are names of things, not people).
  const people = [
    ...new Set(
      items.flatMap((i) =>
        i.text.key === 'invited' && i.text.target
          ? [actor(i.text), i.text.target]
          : [actor(i.text)],
      ),
    ),
  ];
  const shown = people.slice(0, 3).join(t('chat.timeline.noticeRun.separator'));
  return (
    <div className="notice-run" data-testid="notice-run" data-open={open}>
      <div className="notice muted">
        {t('chat.timeline.noticeRun.summary', {
          count: items.length,
          people: shown,
          more:
            people.length > 3 ? t('chat.timeline.noticeRun.more', { count: people.length }) : '',
        })}
        <button
          type="button"
          className="link-button notice-run-toggle"
          aria-expanded={open}
          data-testid="notice-run-toggle"
          onClick={() => setOpen((v) => !v)}
        >
          {open ? t('chat.timeline.noticeRun.hide') : t('chat.timeline.noticeRun.show')}
        </button>
      </div>
      {open && items.map((i) => <NoticeLine key={i.id} text={i.text} />)}
    </div>
  );
}
