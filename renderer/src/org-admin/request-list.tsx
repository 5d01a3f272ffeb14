import { useTranslation } from 'react-i18next';
import { describeAdminRequest } from '../../../shared/org/admin-requests';
import type { AdminRequestRecord } from './admin-requests';
import { formatDateTime } from '../i18n/date-format';
import { ErrorNote } from '../components/error-note';

/** Requests with their state: waiting for the org agent, done, or refused with the reason. */
export function RequestList({
  records,
  unitName,
  personName = (userId) => userId,
}: {
  records: readonly AdminRequestRecord[];
  /** Display name of a unit code, where known. */
  unitName: (code: string) => string;
  /** Display name of a person, where known. */
  personName?: (userId: string) => string;
}) {
  const { t } = useTranslation();
  if (records.length === 0) return <p className="admin-hint">{t('admin.noRequests')}</p>;
  return (
    <ul className="admin-requests" data-testid="admin-requests">
      {records.slice(0, 50).map((r) => {
        const status = r.result?.status ?? 'pending';
        return (
          <li
            key={`${r.spaceId}|${r.requestId}`}
            className={`admin-request status-${status}`}
            data-testid="admin-request"
            data-status={status}
          >
            <div className="admin-request-head">
              <span className={`admin-status status-${status}`}>{t(`admin.status.${status}`)}</span>
              <span className="admin-request-what">
                {r.request
                  ? `${t(`admin.action.${r.request.action}`)} · ${describeTarget(r, unitName, personName, (role) => t(`org.role.${role}`))}`
                  : r.redacted
                    ? t('admin.redacted')
                    : t('admin.malformed')}
              </span>
            </div>
            <div className="admin-request-meta">
              {formatDateTime(r.sentAt)} · {r.sender}
            </div>
            {r.result?.status === 'error' && (
              <div className="admin-request-message" data-testid="admin-request-message">
                <ErrorNote
                  error={{
                    text: t('admin.reason', {
                      reason: t(`admin.error.${r.result.code ?? 'failed'}`),
                    }),
                    ...(r.result.message ? { detail: r.result.message } : {}),
                  }}
                />
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function describeTarget(
  r: AdminRequestRecord,
  unitName: (code: string) => string,
  personName: (userId: string) => string,
  roleName: (role: string) => string,
): string {
  const req = r.request;
  if (!req) return '';
  switch (req.action) {
    case 'create-user':
      return `${req.displayName}（${req.username}）→ ${unitName(req.unitCode)}`;
    case 'move-user':
      return `${personName(req.userId)} → ${unitName(req.toUnitCode)}`;
    case 'deactivate-user':
      return personName(req.userId);
    case 'set-roles':
      return `${personName(req.userId)}：${req.roles.map(roleName).join('、')}`;
    case 'add-unit':
      return `${req.name}（${req.code}）← ${unitName(req.parentCode)}`;
    case 'add-department':
      return `${req.name}（${req.slug}）→ ${unitName(req.unitCode)}`;
    default:
      return describeAdminRequest(req);
  }
}
