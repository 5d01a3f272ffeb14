import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AdminAction, type AdminRequest } from '../../../shared/org/admin-requests';
import { subtreeCodes } from '../../../shared/org/org-tree';
import { useMatrixClient } from '../matrix/client-context';
import { useOrgModel } from '../org/use-org-model';
import { useAppStore } from '../store/store-context';
import { AdminForm } from './admin-forms';
import { readAgentKey, sendAdminRequest, useAdminRequests } from './admin-requests';
import { RequestList } from './request-list';
import './admin.css';
import { unitsWithRole } from '../../../shared/org/org-view';

const ACTIONS: AdminAction[] = [
  'create-user',
  'move-user',
  'deactivate-user',
  'set-roles',
  'add-unit',
  'add-department',
];

/**
 * The unit-admin view: forms for the changes a unit admin may ask for within their subtree, and the
 * requests sent so far with the org agent's answers. The server and the agent enforce the limits;
 * this view only offers what they would allow.
 */
export function AdminView() {
  const { t } = useTranslation();
  const client = useMatrixClient();
  const model = useOrgModel();
  const me = useAppStore((s) => s.userId);
  const adminUnits = useMemo(
    () =>
      unitsWithRole(model?.org, me, 'unit_admin')
        .map((code) => ({ code, spaceId: model?.org.roomsByUnit[code]?.spaceId }))
        .filter((u): u is { code: string; spaceId: string } => u.spaceId !== undefined),
    [model, me],
  );
  const [picked, setPicked] = useState<string | null>(null);
  const [action, setAction] = useState<AdminAction>('create-user');
  const [busy, setBusy] = useState(false);
  const spaceIds = useMemo(() => adminUnits.map((u) => u.spaceId), [adminUnits]);
  const records = useAdminRequests(spaceIds);
  const current = adminUnits.find((u) => u.code === picked) ?? adminUnits[0];

  const scope = useMemo(() => {
    if (!model || !current) return { units: [], people: [] };
    const codes = subtreeCodes(model.tree, current.code);
    const inScope = new Set(codes);
    return {
      units: codes.map((c) => ({ code: c, name: model.tree.byCode.get(c)?.unit.name ?? c })),
      people: model.people
        .filter((p) => inScope.has(p.unitCode))
        .map((p) => ({ userId: p.userId, displayName: p.displayName })),
    };
  }, [model, current]);

  if (!model) {
    return (
      <main className="content" data-testid="admin-view">
        <p>{t('org.loading')}</p>
      </main>
    );
  }
  if (!current) {
    return (
      <main className="content" data-testid="admin-view">
        <div className="welcome">
          <h1>{t('nav.admin')}</h1>
          <p data-testid="admin-not-allowed">{t('admin.notUnitAdmin')}</p>
        </div>
      </main>
    );
  }
  const agentKey = readAgentKey(client, current.spaceId);
  const unitName = model.tree.byCode.get(current.code)?.unit.name ?? current.code;

  const submit = async (request: AdminRequest): Promise<string> => {
    setBusy(true);
    try {
      return await sendAdminRequest(client, current.spaceId, request);
    } finally {
      setBusy(false);
    }
  };
  const statusOf = (requestId: string) =>
    records.find((r) => r.spaceId === current.spaceId && r.requestId === requestId)?.result
      ?.status ?? 'pending';

  return (
    <main className="content admin-view" data-testid="admin-view">
      <header className="admin-header">
        <h1>{t('admin.title')}</h1>
        {adminUnits.length > 1 ? (
          <select
            value={current.code}
            onChange={(e) => setPicked(e.target.value)}
            aria-label={t('admin.actingFor')}
          >
            {adminUnits.map((u) => (
              <option key={u.code} value={u.code}>
                {model.tree.byCode.get(u.code)?.unit.name ?? u.code}
              </option>
            ))}
          </select>
        ) : (
          <span className="admin-unit" data-testid="admin-unit">
            {t('admin.actingAs', { unit: unitName })}
          </span>
        )}
      </header>
      <p className="admin-hint">{t('admin.scopeHint', { unit: unitName })}</p>
      {model.org.conflicts.map((c) => (
        <p
          key={`${c.unitCode}|${c.role}`}
          className="admin-warning"
          data-testid="admin-room-conflict"
        >
          {t('admin.roomConflict', {
            unit: model.tree.byCode.get(c.unitCode)?.unit.name ?? c.unitCode,
            role: t(`admin.roomRole.${c.role.split(':')[0] ?? 'space'}`),
            rooms: c.roomIds.join('、'),
          })}
        </p>
      ))}
      {!agentKey && (
        <p className="admin-warning" data-testid="admin-no-agent">
          {t('admin.noAgent')}
        </p>
      )}
      <div className="admin-columns">
        <section className="admin-panel">
          <div className="admin-tabs" role="tablist">
            {ACTIONS.map((a) => (
              <button
                key={a}
                type="button"
                role="tab"
                aria-selected={a === action}
                data-testid={`admin-tab-${a}`}
                className={a === action ? 'admin-tab active' : 'admin-tab'}
                onClick={() => setAction(a)}
              >
                {t(`admin.action.${a}`)}
              </button>
            ))}
          </div>
          <AdminForm
            key={`${current.code}|${action}`}
            action={action}
            scope={scope}
            unitCode={current.code}
            agentKey={agentKey}
            busy={busy}
            onSubmit={submit}
            statusOf={statusOf}
          />
        </section>
        <section className="admin-panel">
          <h2>{t('admin.requests')}</h2>
          <RequestList
            records={records}
            unitName={(code) => model.tree.byCode.get(code)?.unit.name ?? code}
            personName={(userId) =>
              model.people.find((p) => p.userId === userId)?.displayName ?? userId
            }
          />
        </section>
      </div>
    </main>
  );
}
