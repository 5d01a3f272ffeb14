import type { TFunction } from 'i18next';
import { deadlineState, type DurationParts } from '../../../shared/circular/inbox';
import { formatDateTime } from '../i18n/date-format';

/** `YYYY-MM-DD HH:mm` in the deployment's zone (Beijing time by default), whatever the machine's. */
export function formatTime(ms: number | undefined): string {
  return ms === undefined ? '—' : formatDateTime(ms);
}

/** A duration as the two largest units, e.g. 2天3小时. */
export function formatDuration(t: TFunction, p: DurationParts): string {
  if (p.days > 0)
    return `${t('circulars.deadline.days', { count: p.days })}${t('circulars.deadline.hours', { count: p.hours })}`;
  if (p.hours > 0)
    return `${t('circulars.deadline.hours', { count: p.hours })}${t('circulars.deadline.minutes', { count: p.minutes })}`;
  return t('circulars.deadline.minutes', { count: p.minutes });
}

/** The deadline line of an inbox item and its tone (for colour). */
export function deadlineText(
  t: TFunction,
  input: { ackRequired: boolean; ackDeadline?: number; ackedAt?: number; now: number },
): { text: string; tone: 'none' | 'due' | 'soon' | 'overdue' | 'done' } {
  const s = deadlineState(input);
  switch (s.kind) {
    case 'none':
      return {
        text: input.ackRequired ? t('circulars.deadline.noDeadline') : t('circulars.deadline.none'),
        tone: 'none',
      };
    case 'due':
      return {
        text: t('circulars.deadline.due', { time: formatDuration(t, s.parts) }),
        tone: s.dueSoon ? 'soon' : 'due',
      };
    case 'overdue':
      return {
        text: t('circulars.deadline.overdue', { time: formatDuration(t, s.parts) }),
        tone: 'overdue',
      };
    case 'done':
      return {
        text: s.late ? t('circulars.deadline.doneLate') : t('circulars.deadline.done'),
        tone: 'done',
      };
  }
}
