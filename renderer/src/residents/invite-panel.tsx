/**
 * The grid worker's invitation panel (群众邀请) for one community (docs/mobile-and-residents.md):
 * asks the org agent for an invitation, shows its link as a QR code and as text to copy, and lists
 * the invitations recorded in the unit Space with joined count, uses, expiry and status, each
 * revocable. The server and the agent decide who may invite; this panel only asks.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RoomStateEvent, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import {
  ADMIN_RESULT_EVENT,
  INVITE_REQUEST_EVENT,
  RESIDENT_INVITE_EVENT,
} from '../../../shared/matrix-types';
import { parseAdminResult } from '../../../shared/org/admin-requests';
import type { AdminResultContent } from '../../../shared/org/admin-requests';
import { inviteLink } from '../../../shared/residents/invite-link';
import {
  inviteStatus,
  MAX_INVITE_USES,
  parseInviteRecord,
  type InviteRequest,
  type InviteStatus,
  type ResidentInviteRecord,
} from '../../../shared/residents/invites';
import { formatDateTime } from '../i18n/date-format';
import { useMatrixClient } from '../matrix/client-context';
import { listen } from '../matrix/listen';
import { sendSpaceRequest } from '../matrix/space-request';
import { useAppStore } from '../store/store-context';
import { QrCode } from './qr-code';
import { TextField } from '../components/text-field';
import { SelectField } from '../components/select-field';

/** Lifetimes offered, in hours: a day, three days, a week, thirty days (the agent's limit). */
const LIFETIMES = [24, 72, 168, 720] as const;

interface InviteRow {
  inviteId: string;
  record: ResidentInviteRecord;
  status: InviteStatus;
}

/** The invitations recorded in a Space, newest first, with their status at `now`. */
function readInvites(client: MatrixClient, spaceId: string, now: number): InviteRow[] {
  const state = client.getRoom(spaceId)?.currentState;
  const rows: InviteRow[] = [];
  for (const ev of state?.getStateEvents(RESIDENT_INVITE_EVENT) ?? []) {
    const record = parseInviteRecord(ev.getContent());
    if (record)
      rows.push({ inviteId: ev.getStateKey() ?? '', record, status: inviteStatus(record, now) });
  }
  return rows.sort((a, b) => b.record.createdAt - a.record.createdAt);
}

/** The agent's answer to a request, when there is one. */
function readResult(
  client: MatrixClient,
  spaceId: string,
  requestId: string,
): AdminResultContent | undefined {
  const ev = client.getRoom(spaceId)?.currentState.getStateEvents(ADMIN_RESULT_EVENT, requestId);
  return parseAdminResult(ev?.getContent());
}

/** The invitations of a Space and the answers to this panel's requests, kept current. */
function useInviteState(client: MatrixClient, spaceId: string) {
  const read = useCallback(() => readInvites(client, spaceId, Date.now()), [client, spaceId]);
  const [state, setState] = useState(read);
  useEffect(
    () =>
      listen(client, RoomStateEvent.Events, (event: MatrixEvent) => {
        const type = event.getType();
        if (event.getRoomId() !== spaceId) return;
        if (type === RESIDENT_INVITE_EVENT || type === ADMIN_RESULT_EVENT) setState(read());
      }),
    [client, spaceId, read],
  );
  return state;
}

type Pending = { requestId: string; action: InviteRequest['action'] } | null;

/** 群众邀请: create, show, list and revoke residents' invitations of one community. */
export function InvitePanel({ spaceId, unitName }: { spaceId: string; unitName: string }) {
  const { t } = useTranslation();
  const client = useMatrixClient();
  const me = useAppStore((s) => s.userId);
  const rows = useInviteState(client, spaceId);
  const [uses, setUses] = useState('50');
  const [hours, setHours] = useState<number>(LIFETIMES[1]);
  const [pending, setPending] = useState<Pending>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const result = pending ? readResult(client, spaceId, pending.requestId) : undefined;
  // Once the agent has answered a creation, the newest invitation of this user is the one to show.
  const created =
    pending?.action === 'create-invite' && result?.status === 'ok'
      ? rows.find((r) => r.record.createdBy === me)?.inviteId
      : undefined;
  const showing = rows.find((r) => r.status === 'active' && r.inviteId === (created ?? shown));
  const busy = pending !== null && result === undefined;
  const failure = result?.status === 'error' ? result : undefined;

  const send = (request: InviteRequest) => {
    setError(null);
    setCopied(false);
    sendSpaceRequest(client, spaceId, INVITE_REQUEST_EVENT, request)
      .then((requestId) => setPending({ requestId, action: request.action }))
      .catch(() => setError(t('residents.panel.sendFailed')));
  };
  const create = () => {
    const n = Number(uses);
    if (!Number.isInteger(n) || n < 1 || n > MAX_INVITE_USES) {
      setError(t('residents.panel.badUses', { max: MAX_INVITE_USES }));
      return;
    }
    setShown(null);
    send({ action: 'create-invite', usesAllowed: n, validHours: hours });
  };
  const link = showing
    ? inviteLink(window.location.origin + window.location.pathname, {
        descriptor: showing.record,
        token: showing.record.token,
      })
    : null;

  return (
    <section className="resident-invite-panel" data-testid="invite-panel">
      <h3 className="org-subheading">{t('residents.panel.title', { unit: unitName })}</h3>
      <p className="resident-invite-hint">{t('residents.panel.hint')}</p>
      <div className="resident-invite-form">
        <TextField
          label={t('residents.panel.uses')}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_INVITE_USES}
          value={uses}
          data-testid="invite-uses"
          onChange={setUses}
        />
        <SelectField
          label={t('residents.panel.lifetime')}
          value={String(hours)}
          data-testid="invite-lifetime"
          onChange={(h) => setHours(Number(h))}
          options={LIFETIMES.map((h) => ({
            value: String(h),
            label: t(`residents.panel.hours.${h}`),
          }))}
        />
        <button
          type="button"
          className="primary"
          data-testid="invite-create"
          disabled={busy}
          onClick={create}
        >
          {busy && pending?.action === 'create-invite'
            ? t('residents.panel.creating')
            : t('residents.panel.create')}
        </button>
      </div>
      {(error ?? failure) && (
        <p className="form-error" role="alert" data-testid="invite-error">
          {error ?? t('residents.panel.refused', { message: failure?.message ?? '' })}
        </p>
      )}
      {showing && link && (
        <div className="resident-invite-show" data-testid="invite-show">
          <QrCode text={link} label={t('residents.panel.qrLabel')} testId="invite-qr" />
          <p className="resident-invite-hint">{t('residents.panel.secret')}</p>
          <input
            readOnly
            value={link}
            data-testid="invite-link"
            aria-label={t('residents.panel.link')}
          />
          <button
            type="button"
            className="secondary"
            data-testid="invite-copy"
            onClick={() =>
              void navigator.clipboard
                .writeText(link)
                .then(() => setCopied(true))
                .catch(() => setError(t('residents.panel.copyFailed')))
            }
          >
            {copied ? t('residents.panel.copied') : t('residents.panel.copy')}
          </button>
        </div>
      )}
      {rows.length === 0 ? (
        <p className="resident-invite-hint">{t('residents.panel.none')}</p>
      ) : (
        <ul className="resident-invite-list" data-testid="invite-list">
          {rows.map((r) => (
            <li key={r.inviteId} data-testid="invite-item" data-status={r.status}>
              <div className="resident-invite-facts">
                <span className={`resident-invite-status ${r.status}`}>
                  {t(`residents.panel.status.${r.status}`)}
                </span>
                <span data-testid="invite-joined">
                  {t('residents.panel.joined', {
                    joined: r.record.joinedCount,
                    uses: r.record.usesAllowed,
                  })}
                </span>
                <span>
                  {t('residents.panel.expires', { time: formatDateTime(r.record.expiresAt) })}
                </span>
                <span>{t('residents.panel.by', { contact: r.record.contact })}</span>
              </div>
              {r.status === 'active' && (
                <div className="resident-invite-actions">
                  <button
                    type="button"
                    className="secondary small"
                    data-testid="invite-show-qr"
                    onClick={() => {
                      setPending(null);
                      setCopied(false);
                      setShown(r.inviteId);
                    }}
                  >
                    {t('residents.panel.showQr')}
                  </button>
                  <button
                    type="button"
                    className="secondary small"
                    data-testid="invite-revoke"
                    disabled={busy}
                    onClick={() => {
                      if (window.confirm(t('residents.panel.revokeConfirm')))
                        send({ action: 'revoke-invite', inviteId: r.inviteId });
                    }}
                  >
                    {t('residents.panel.revoke')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
