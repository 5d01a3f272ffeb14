import { useTranslation } from 'react-i18next';
import { timeZoneLabel } from '../i18n/date-format';

/** Names the zone times are shown in, e.g. （北京时间）, beside times that matter (deadlines). */
export function TimeZoneNote() {
  const { i18n } = useTranslation();
  const label = timeZoneLabel(i18n.language);
  return (
    <span className="muted time-zone-note" data-testid="time-zone-note">
      {i18n.language.startsWith('zh') ? `（${label}）` : ` (${label})`}
    </span>
  );
}
