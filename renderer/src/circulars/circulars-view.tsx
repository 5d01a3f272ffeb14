import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/store-context';
import type { CircularsPanel } from '../store/circulars-slice';
import { CircularDetail } from './circular-detail';
import { ComposeForm } from './compose-form';
import { DashboardView } from './dashboard-view';
import { InboxList } from './inbox-list';
import { IssuedList } from './issued-list';
import { useCircularsController } from './use-circulars';
import './circulars.css';
import { unitsWithRole } from '../../../shared/org/org-view';
import { residentsNoticeUnits } from '../../../shared/circular/residents-group';

const TABS = ['inbox', 'compose', 'issued'] as const;

function tabOf(panel: CircularsPanel): (typeof TABS)[number] {
  if (panel.kind === 'view') return 'inbox';
  if (panel.kind === 'dashboard') return 'issued';
  return panel.kind;
}

/** The circulars view of the signed-in app: inbox, compose, issued circulars and their dashboards. */
export function CircularsView() {
  const { t } = useTranslation();
  const controller = useCircularsController();
  const { panel, setPanel, pending, isIssuer } = useAppStore(
    useShallow((s) => ({
      panel: s.circularsPanel,
      setPanel: s.setCircularsPanel,
      pending: s.circularInbox.filter((e) => e.circular.ackRequired && e.status !== 'acknowledged')
        .length,
      // Grid workers issue to their community's residents (群众通知) only.
      isIssuer:
        unitsWithRole(s.org, s.userId, 'issuer').length > 0 ||
        residentsNoticeUnits(s.org, s.userId).length > 0,
    })),
  );
  const active = tabOf(panel);
  return (
    <main className="content circ-view" data-testid="circulars-view">
      <nav className="circ-tabs" aria-label={t('nav.circulars')}>
        {TABS.filter((tab) => tab === 'inbox' || isIssuer).map((tab) => (
          <button
            key={tab}
            type="button"
            data-testid={`circ-tab-${tab}`}
            className={tab === active ? 'circ-tab active' : 'circ-tab'}
            aria-current={tab === active ? 'page' : undefined}
            onClick={() => setPanel({ kind: tab })}
          >
            {t(`circulars.tabs.${tab}`)}
            {tab === 'inbox' && pending > 0 && <span className="badge highlight">{pending}</span>}
          </button>
        ))}
      </nav>
      {panel.kind === 'inbox' && (
        <InboxList
          onOpen={(e) => setPanel({ kind: 'view', roomId: e.roomId, eventId: e.eventId })}
        />
      )}
      {panel.kind === 'view' && (
        <CircularDetail
          roomId={panel.roomId}
          eventId={panel.eventId}
          controller={controller}
          onBack={() => setPanel({ kind: 'inbox' })}
        />
      )}
      {panel.kind === 'compose' && (
        <ComposeForm
          controller={controller}
          onIssued={(id) => setPanel({ kind: 'dashboard', circularId: id })}
        />
      )}
      {panel.kind === 'issued' && (
        <IssuedList onOpen={(id) => setPanel({ kind: 'dashboard', circularId: id })} />
      )}
      {panel.kind === 'dashboard' && (
        <DashboardView
          circularId={panel.circularId}
          controller={controller}
          onBack={() => setPanel({ kind: 'issued' })}
        />
      )}
    </main>
  );
}
