import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../components/error-note';
import { explainError, explainFieldError } from '../i18n/error-text';
import { useShallow } from 'zustand/react/shallow';
import { CheckField } from '../components/check-field';
import type { FanOutCounts } from '../../../shared/circular/targeting';
import type { CircularAttachment, CircularTarget, Urgency } from '../../../shared/circular/types';
import { URGENCIES } from '../../../shared/circular/types';
import { buildUnitIndex, subtreeCodes } from '../../../shared/circular/unit-index';
import type { ParseError } from '../../../shared/circular/parse-result';
import { useAppStore } from '../store/store-context';
import type { CircularsController } from './circulars-controller';
import { DraftError } from './issue';
import { TargetPicker } from './target-picker';
import { FileIcon } from './circular-detail';
import { displayTimeZone } from '../i18n/date-format';
import { TimeZoneNote } from '../components/time-zone-note';
import { parseZonedInput, toZonedInput } from '../../../shared/config/time-zone';
import { unitsWithRole } from '../../../shared/org/org-view';
import { residentsNoticeUnits } from '../../../shared/circular/residents-group';
import { TextAreaField, TextField } from '../components/text-field';
import { SelectField } from '../components/select-field';

/** Composing and issuing a circular (for users with issuer power in some unit). */
export function ComposeForm({
  controller,
  onIssued,
}: {
  controller: CircularsController;
  onIssued(circularId: string): void;
}) {
  const { t } = useTranslation();
  const { org, userId } = useAppStore(useShallow((s) => ({ org: s.org, userId: s.userId })));
  const index = useMemo(() => buildUnitIndex(org?.units ?? []), [org]);
  const issuerUnits = useMemo(() => unitsWithRole(org, userId, 'issuer'), [org, userId]);
  const targetable = useMemo(() => {
    const set = new Set(issuerUnits.flatMap((c) => subtreeCodes(index, c)));
    return index.preorder.filter((c) => set.has(c));
  }, [index, issuerUnits]);
  const residentsUnits = useMemo(() => residentsNoticeUnits(org, userId), [org, userId]);
  // A grid worker who is no issuer speaks for their community to its residents only.
  const issuingChoices = useMemo(
    () => [...new Set([...issuerUnits, ...residentsUnits])],
    [issuerUnits, residentsUnits],
  );

  const [issuingCode, setIssuingCode] = useState('');
  const [title, setTitle] = useState('');
  const [docNumber, setDocNumber] = useState('');
  const [urgency, setUrgency] = useState<Urgency>('normal');
  const [ackRequired, setAckRequired] = useState(true);
  // Entered in the deployment's zone (not the machine's), the zone every time is shown in.
  const [deadline, setDeadline] = useState(() =>
    toZonedInput(Date.now() + 3 * 86_400_000, displayTimeZone()),
  );
  const [noForward, setNoForward] = useState(true);
  const [notifyRoom, setNotifyRoom] = useState(false);
  const [body, setBody] = useState('');
  const [targets, setTargets] = useState<CircularTarget[]>([]);
  const [attachments, setAttachments] = useState<CircularAttachment[]>([]);
  const [uploading, setUploading] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ key: string; counts: FanOutCounts } | null>(null);
  const [errors, setErrors] = useState<readonly ParseError[]>([]);
  const [sendingId, setSendingId] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const progress = useAppStore((s) =>
    sendingId ? s.issuedCirculars.find((e) => e.circularId === sendingId)?.progress : undefined,
  );
  const issuingUnit = issuingCode || issuingChoices[0] || '';

  const targetsKey = JSON.stringify(targets);
  // Figures shown only while they describe the current selection.
  const counts = preview?.key === targetsKey ? preview.counts : null;
  useEffect(() => {
    let live = true;
    if (!org || targets.length === 0) return;
    void controller.preview(targets).then((r) => {
      if (!live) return;
      if (r.ok) {
        setPreview({ key: JSON.stringify(targets), counts: r.counts });
        setErrors([]);
        controller.prepareEncryption([...r.counts.perRoom.keys()]);
      } else setErrors(r.errors);
    });
    return () => {
      live = false;
    };
  }, [org, targets, controller]);

  if (!org || issuingChoices.length === 0)
    return (
      <section className="circ-panel">
        <p className="muted">{t('circulars.compose.noIssuer')}</p>
      </section>
    );

  const addFiles = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      setUploading(file.name);
      try {
        const data = new Uint8Array(await file.arrayBuffer());
        const attachment = await controller.upload({
          data,
          name: file.name,
          mimeType: file.type || 'application/octet-stream',
        });
        setAttachments((a) => [...a, attachment]);
      } catch (err) {
        setErrors([{ path: '/attachments', message: (err as Error).message }]);
      } finally {
        setUploading(null);
      }
    }
  };

  const send = async () => {
    setErrors([]);
    const deadlineMs = deadline ? parseZonedInput(deadline, displayTimeZone()) : undefined;
    try {
      const unit = index.byCode.get(issuingUnit);
      const prepared = await controller.prepare({
        title: title.trim(),
        docNumber,
        issuingUnit: { code: issuingUnit, name: unit?.name ?? issuingUnit },
        urgency,
        ackRequired,
        ...(ackRequired && deadlineMs !== undefined ? { ackDeadline: deadlineMs } : {}),
        noForward,
        body: body.trim(),
        targets,
        attachments,
        notifyRoom,
      });
      setSendingId(prepared.circular.id);
      setRunning(true);
      await controller.issue(prepared);
    } catch (err) {
      setErrors(
        err instanceof DraftError ? err.errors : [{ path: '', message: (err as Error).message }],
      );
    } finally {
      setRunning(false);
    }
  };

  const resume = async (id: string) => {
    setRunning(true);
    await controller.resume(id).finally(() => setRunning(false));
  };
  const busy = running || (sendingId !== null && progress?.done === true);
  return (
    <section className="circ-panel circ-compose" data-testid="circular-compose">
      <h1>{t('circulars.compose.title')}</h1>
      <div className="circ-form">
        <TextField
          label={t('circulars.compose.heading')}
          data-testid="compose-title"
          value={title}
          maxLength={200}
          onChange={setTitle}
        />
        <div className="circ-form-row">
          <TextField
            label={t('circulars.compose.docNumber')}
            data-testid="compose-docnumber"
            value={docNumber}
            maxLength={100}
            onChange={setDocNumber}
          />
          <SelectField
            label={t('circulars.compose.issuingUnit')}
            value={issuingUnit}
            onChange={setIssuingCode}
            options={issuingChoices.map((c) => ({
              value: c,
              label: index.byCode.get(c)?.name ?? c,
            }))}
          />
          <SelectField<Urgency>
            label={t('circulars.compose.urgency')}
            data-testid="compose-urgency"
            value={urgency}
            onChange={setUrgency}
            options={URGENCIES.map((u) => ({ value: u, label: t(`circulars.urgency.${u}`) }))}
          />
        </div>
        <div className="circ-form-row circ-checks">
          <CheckField checked={ackRequired} onChange={setAckRequired}>
            {t('circulars.compose.ackRequired')}
          </CheckField>
          {ackRequired && (
            <label>
              {t('circulars.compose.deadline')}
              <TimeZoneNote />
              <input
                type="datetime-local"
                data-testid="compose-deadline"
                value={deadline}
                onChange={(e) => setDeadline(e.target.value)}
              />
            </label>
          )}
          <CheckField checked={noForward} onChange={setNoForward}>
            {t('circulars.compose.noForward')}
          </CheckField>
          <CheckField checked={notifyRoom} onChange={setNotifyRoom}>
            {t('circulars.compose.notifyRoom')}
          </CheckField>
        </div>
        <TextAreaField
          label={t('circulars.compose.body')}
          data-testid="compose-body"
          rows={5}
          value={body}
          onChange={setBody}
        />
        <fieldset className="circ-fieldset">
          <legend>{t('circulars.compose.targets')}</legend>
          <TargetPicker
            index={index}
            codes={targetable}
            // Residents trust only circulars issued in their own community's name.
            residentsCodes={residentsUnits.filter((c) => c === issuingUnit)}
            targets={targets}
            onChange={setTargets}
          />
          {targets.length > 0 && (
            <p className="circ-counts" data-testid="compose-counts">
              {counts
                ? t(
                    counts.recipients > counts.distinctUsers
                      ? 'circulars.compose.countsShared'
                      : 'circulars.compose.counts',
                    {
                      units: counts.units,
                      recipients: counts.distinctUsers,
                    },
                  )
                : t('circulars.compose.counting')}
            </p>
          )}
        </fieldset>
        <fieldset className="circ-fieldset">
          <legend>{t('circulars.compose.attachments')}</legend>
          <ul className="circ-chips">
            {attachments.map((a, i) => (
              <li key={i} className="circ-chip" data-testid="compose-attachment">
                <FileIcon /> {a.name}
                <button
                  type="button"
                  onClick={() => setAttachments(attachments.filter((_, j) => j !== i))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <label className="secondary file-button">
            {t('circulars.compose.addFile')}
            <input
              type="file"
              data-testid="compose-file"
              multiple
              className="visually-hidden"
              onChange={(e) => void addFiles(e.target.files)}
            />
          </label>
          {uploading && (
            <span className="muted"> {t('circulars.compose.uploading', { name: uploading })}</span>
          )}
        </fieldset>
        {errors.length > 0 && (
          <div className="form-error" data-testid="compose-errors">
            {t('circulars.compose.errors')}
            <ul>
              {errors.map((e, i) => (
                <li key={i}>
                  <ErrorNote
                    error={e.path ? explainFieldError(t, e) : explainError(t, e.message)}
                  />
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="circ-send-row">
          <button
            type="button"
            className="primary"
            data-testid="compose-send"
            disabled={busy || uploading !== null}
            onClick={() => void send()}
          >
            {t('circulars.compose.send')}
          </button>
          {progress && (
            <div className="circ-progress" data-testid="compose-progress">
              <progress max={progress.total} value={progress.sent} />
              <span>
                {progress.done && progress.failed === 0
                  ? t('circulars.compose.sent', { total: progress.total })
                  : t('circulars.compose.sending', { sent: progress.sent, total: progress.total })}
              </span>
              {progress.failed > 0 && (
                <span className="form-error">
                  {t('circulars.compose.failed', { failed: progress.failed })}
                </span>
              )}
              {sendingId && !progress.done && !running && (
                <button type="button" className="secondary" onClick={() => void resume(sendingId)}>
                  {t('circulars.compose.resume')}
                </button>
              )}
              {sendingId && progress.done && (
                <button
                  type="button"
                  className="secondary"
                  data-testid="open-dashboard"
                  onClick={() => onIssued(sendingId)}
                >
                  {t('circulars.issued.open')}
                </button>
              )}
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
