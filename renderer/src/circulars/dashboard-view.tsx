import { unreadWithKey } from '../../../shared/circular/awaiting-key';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TimeZoneNote } from '../components/time-zone-note';
import { useShallow } from 'zustand/react/shallow';
import { CheckField } from '../components/check-field';
import type { RecipientStatusKind } from '../../../shared/circular/aggregate';
import { RECIPIENT_STATUSES } from '../../../shared/circular/aggregate';
import { filterRecipients, rollUpByUnit, sortRecipients } from '../../../shared/circular/rollup';
import { ancestorCodes, buildUnitIndex } from '../../../shared/circular/unit-index';
import { withResidentsGroups } from '../../../shared/circular/residents-group';
import { useAppStore } from '../store/store-context';
import { useSession } from '../session/session-context';
import type { CircularsController } from './circulars-controller';
import { RecipientTable } from './recipient-table';
import { RemindButton } from './remind-button';
import { exportReport } from './export-report';
import { formatTime } from './format';
import { InvalidAckList } from './invalid-acks';
import { UrgencyBadge } from './inbox-list';
import type { UnitBar } from './unit-chart';
import { ErrorNote } from '../components/error-note';
import { explainError, explainErrorAs, type ErrorText } from '../i18n/error-text';

/** The chart library is large and only the dashboard uses it: loaded when a dashboard first shows. */
const UnitChart = lazy(() => import('./unit-chart').then((m) => ({ default: m.UnitChart })));

/** The issuer's dashboard of one circular: figures per unit and per person, live; reminders; export. */
export function DashboardView({
  circularId,
  controller,
  onBack,
}: {
  circularId: string;
  controller: CircularsController;
  onBack(): void;
}) {
  const { t, i18n } = useTranslation();
  const { platform } = useSession();
  const { dashboard, org, entry, reminders } = useAppStore(
    useShallow((s) => ({
      dashboard: s.dashboard?.circularId === circularId ? s.dashboard : null,
      org: s.org,
      entry: s.issuedCirculars.find((e) => e.circularId === circularId),
      reminders: s.reminders[circularId],
    })),
  );
  const [unitFilter, setUnitFilter] = useState('');
  const [statusFilter, setStatusFilter] = useState<RecipientStatusKind | ''>('');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [exportError, setExportError] = useState<ErrorText | null>(null);

  useEffect(() => {
    void controller.openDashboard(circularId);
    return () => controller.closeDashboard();
  }, [controller, circularId]);

  const aggregate = dashboard?.aggregate ?? null;
  // Residents are no unit's staff: each community's residents are a group of their own below it.
  const index = useMemo(
    () =>
      buildUnitIndex(
        withResidentsGroups(
          org?.units ?? [],
          (aggregate?.recipients ?? []).map((r) => r.unitCode),
          (unit) => t('circulars.dashboard.residentsGroup', { unit }),
        ),
      ),
    [org, aggregate, t],
  );
  const rollUp = useMemo(
    () => (aggregate ? rollUpByUnit(index, aggregate.recipients) : null),
    [index, aggregate],
  );
  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const r of aggregate?.recipients ?? [])
      if (r.displayName) map.set(r.userId, r.displayName);
    return map;
  }, [aggregate]);
  const positions = useMemo(
    () => new Map((org?.members ?? []).map((m) => [m.userId, m.position])),
    [org],
  );
  const copyUnits = useMemo(
    () => new Set(aggregate?.recipients.map((r) => r.unitCode) ?? []),
    [aggregate],
  );
  // Units shown in the table: every unit whose subtree has recipients, in tree order.
  const unitRows = useMemo(
    () =>
      index.preorder
        .map((c) => rollUp?.byUnit.get(c))
        .filter((s) => s !== undefined && s.subtree.total > 0),
    [index, rollUp],
  );
  const bars: UnitBar[] = useMemo(
    () =>
      unitRows
        .filter((s) => copyUnits.has(s?.unitCode ?? ''))
        .map((s) => ({
          name: index.byCode.get(s?.unitCode ?? '')?.name ?? s?.unitCode ?? '',
          acknowledged: s?.own.acknowledged ?? 0,
          readOnly: s?.own.read ?? 0,
          unread: s?.own.unread ?? 0,
        })),
    [unitRows, copyUnits, index],
  );
  const rows = useMemo(() => {
    if (!aggregate) return [];
    const filtered = filterRecipients(index, aggregate.recipients, {
      ...(unitFilter ? { subtreeOf: unitFilter } : {}),
      ...(statusFilter ? { statuses: [statusFilter] } : {}),
      overdueOnly,
    });
    return sortRecipients(index, filtered, { key: 'unit', nameOf: (id) => names.get(id) });
  }, [aggregate, index, unitFilter, statusFilter, overdueOnly, names]);

  const circular = entry?.circular;
  if (!circular)
    return (
      <section className="circ-panel">
        <p className="muted">{t('circulars.view.notFound')}</p>
      </section>
    );
  const depthOf = (code: string) => ancestorCodes(index, code).length;
  const totals = aggregate?.totals;

  const doExport = (format: 'csv' | 'xlsx') => {
    if (!aggregate) return;
    setExportError(null);
    void exportReport({
      circular,
      aggregate,
      index,
      personOf: (id) => {
        const displayName = names.get(id);
        const position = positions.get(id);
        return { ...(displayName ? { displayName } : {}), ...(position ? { position } : {}) };
      },
      serverName: controller.serverName,
      language: i18n.language.startsWith('zh') ? 'zh' : 'en',
      format,
      save: (data, name, mimeType) => platform.saveFile(data, name, mimeType),
    })
      .then(() => controller.reportExport(circular.id, format, aggregate.recipients))
      .catch((err: unknown) =>
        setExportError(explainErrorAs(t, 'circulars.dashboard.exportFailed', err)),
      );
  };

  return (
    <section className="circ-panel circ-dashboard" data-testid="circular-dashboard">
      <button type="button" className="secondary circ-back" onClick={onBack}>
        ← {t('circulars.dashboard.back')}
      </button>
      <header className="circ-dash-head">
        <div>
          <h1>
            <UrgencyBadge urgency={circular.urgency} /> {circular.title}
          </h1>
          <div className="muted">
            {circular.docNumber ? `${circular.docNumber} · ` : ''}
            {formatTime(circular.issuedAt)}
            {circular.ackRequired && circular.ackDeadline !== undefined
              ? ` · ${t('circulars.view.deadline')} ${formatTime(circular.ackDeadline)}`
              : ''}
            <TimeZoneNote />
          </div>
        </div>
        <div className="circ-dash-actions">
          <RemindButton
            circularId={circularId}
            ackRequired={circular.ackRequired}
            aggregate={aggregate ?? null}
            controller={controller}
            onMessage={setMessage}
          />
          {(['xlsx', 'csv'] as const).map((format) => (
            <button
              key={format}
              type="button"
              className="secondary"
              data-testid={`export-${format}`}
              disabled={!aggregate}
              onClick={() => doExport(format)}
            >
              {t(
                format === 'xlsx'
                  ? 'circulars.dashboard.exportXlsx'
                  : 'circulars.dashboard.exportCsv',
              )}
            </button>
          ))}
        </div>
      </header>
      {message && (
        <div className="circ-message" data-testid="dashboard-message">
          {message}
        </div>
      )}
      {exportError && <ErrorNote error={exportError} testId="dashboard-export-error" />}
      {dashboard?.error && (
        <ErrorNote error={explainError(t, dashboard.error)} testId="dashboard-error" />
      )}
      {!aggregate || !totals ? (
        <p className="muted">{t('circulars.dashboard.loading')}</p>
      ) : (
        <>
          <div className="circ-stats" data-testid="dashboard-totals">
            <Stat label={t('circulars.dashboard.total')} value={totals.total} />
            <Stat
              label={t('circulars.status.acknowledged')}
              value={totals.acknowledged}
              tone="ok"
              testId="stat-acknowledged"
            />
            <Stat
              label={t('circulars.dashboard.readOnly')}
              value={totals.read}
              tone="info"
              testId="stat-read"
            />
            <Stat
              label={t('circulars.status.unread')}
              value={unreadWithKey(aggregate)}
              tone="muted"
              testId="stat-unread"
            />
            {(aggregate.awaitingKey ?? 0) > 0 && (
              <Stat
                label={t('circulars.keys.statusAwaiting')}
                value={aggregate.awaitingKey ?? 0}
                tone="muted"
                testId="stat-awaiting-key"
              />
            )}
            <Stat label={t('circulars.dashboard.overdue')} value={totals.overdue} tone="bad" />
            <div className="circ-updated muted">
              {t('circulars.dashboard.updated', { time: formatTime(dashboard?.updatedAt) })}
            </div>
          </div>
          <InvalidAckList acks={aggregate.invalidAcks} nameOf={(id) => names.get(id)} />
          <div className="circ-dash-grid">
            <div className="circ-card">
              <h2>{t('circulars.dashboard.byUnit')}</h2>
              <table className="circ-table" data-testid="unit-table">
                <thead>
                  <tr>
                    <th>{t('circulars.dashboard.unit')}</th>
                    <th className="num">{t('circulars.dashboard.total')}</th>
                    <th className="num">{t('circulars.dashboard.readRate')}</th>
                    <th className="num">{t('circulars.dashboard.ackRate')}</th>
                  </tr>
                </thead>
                <tbody>
                  {unitRows.map((s) =>
                    s ? (
                      <tr key={s.unitCode} data-unit={s.unitCode}>
                        <td style={{ paddingLeft: 8 + depthOf(s.unitCode) * 16 }}>
                          {index.byCode.get(s.unitCode)?.name ?? s.unitCode}
                        </td>
                        <td className="num">{s.subtree.total}</td>
                        <td className="num">{s.rates.read}%</td>
                        <td className="num">{s.rates.acknowledged}%</td>
                      </tr>
                    ) : null,
                  )}
                </tbody>
              </table>
            </div>
            <div className="circ-card">
              <Suspense fallback={<div className="circ-chart" />}>
                <UnitChart bars={bars} />
              </Suspense>
              <h2>{t('circulars.dashboard.remindHistory')}</h2>
              <ul className="circ-reminders" data-testid="reminder-history">
                {(reminders ?? []).length === 0 && (
                  <li className="muted">{t('circulars.dashboard.noReminders')}</li>
                )}
                {(reminders ?? []).map((r, i) => (
                  <li key={i}>
                    {t('circulars.dashboard.remindRecord', {
                      time: formatTime(r.at),
                      users: r.users,
                    })}
                  </li>
                ))}
              </ul>
            </div>
          </div>
          <div className="circ-card">
            <div className="circ-filters">
              <h2>{t('circulars.dashboard.recipients')}</h2>
              <select
                aria-label={t('circulars.dashboard.filterUnit')}
                value={unitFilter}
                onChange={(e) => setUnitFilter(e.target.value)}
              >
                <option value="">{t('circulars.dashboard.allUnits')}</option>
                {unitRows.map((s) =>
                  s ? (
                    <option key={s.unitCode} value={s.unitCode}>
                      {index.byCode.get(s.unitCode)?.name ?? s.unitCode}
                    </option>
                  ) : null,
                )}
              </select>
              <select
                aria-label={t('circulars.dashboard.filterStatus')}
                data-testid="filter-status"
                value={statusFilter}
                onChange={(e) => setStatusFilter(e.target.value as RecipientStatusKind | '')}
              >
                <option value="">{t('circulars.dashboard.allStatuses')}</option>
                {RECIPIENT_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`circulars.status.${s}`)}
                  </option>
                ))}
              </select>
              <CheckField checked={overdueOnly} onChange={setOverdueOnly}>
                {t('circulars.dashboard.overdueOnly')}
              </CheckField>
            </div>
            <RecipientTable
              rows={rows}
              unitName={(code) => index.byCode.get(code)?.name ?? code}
              nameOf={(id) => names.get(id)}
            />
          </div>
        </>
      )}
    </section>
  );
}

function Stat({
  label,
  value,
  tone,
  testId,
}: {
  label: string;
  value: number;
  tone?: string;
  testId?: string;
}) {
  return (
    <div className={`circ-stat${tone ? ` tone-${tone}` : ''}`} data-testid={testId}>
      <div className="circ-stat-value">{value}</div>
      <div className="circ-stat-label">{label}</div>
    </div>
  );
}
