import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CircularAggregate } from '../../../shared/circular/aggregate';
import { planReminders } from '../../../shared/circular/reminder';
import { explainError } from '../i18n/error-text';
import type { CircularsController } from './circulars-controller';
import { ReminderRateLimitedError } from './reminders';

/**
 * 一键催办 with a confirmation that says how many people it will ping, in how many units: the same
 * plan the controller sends ({@link planReminders}). Reports the outcome through `onMessage`.
 */
export function RemindButton({
  circularId,
  ackRequired,
  aggregate,
  controller,
  onMessage,
}: {
  circularId: string;
  ackRequired: boolean;
  aggregate: (CircularAggregate & { awaitingKey?: number }) | null;
  controller: CircularsController;
  onMessage(message: string | null): void;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [reminding, setReminding] = useState(false);
  const plan = aggregate ? planReminders(aggregate.recipients, ackRequired) : null;

  const remind = async () => {
    setConfirming(false);
    setReminding(true);
    onMessage(null);
    try {
      const r = await controller.remind(circularId);
      const skipped =
        r.awaitingKey > 0 ? ` ${t('circulars.keys.remindSkipped', { count: r.awaitingKey })}` : '';
      onMessage(t('circulars.dashboard.reminded', r) + skipped);
    } catch (err) {
      onMessage(
        err instanceof ReminderRateLimitedError
          ? t('circulars.dashboard.remindWait', { minutes: Math.ceil(err.retryAfterMs / 60_000) })
          : explainError(t, err).text,
      );
    } finally {
      setReminding(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="primary"
        data-testid="remind"
        disabled={reminding || !plan}
        onClick={() => setConfirming(true)}
      >
        {reminding ? t('circulars.dashboard.reminding') : t('circulars.dashboard.remind')}
      </button>
      {confirming && plan && (
        <div className="circ-confirm" role="dialog" data-testid="remind-confirm">
          <p>
            {plan.users === 0
              ? t('circulars.dashboard.remindNobody')
              : t('circulars.dashboard.remindConfirm', {
                  users: plan.users,
                  rooms: plan.byRoom.size,
                })}
            {(aggregate?.awaitingKey ?? 0) > 0 &&
              ` ${t('circulars.keys.remindSkipped', { count: aggregate?.awaitingKey ?? 0 })}`}
          </p>
          {plan.users > 0 && (
            <button
              type="button"
              className="primary"
              data-testid="remind-confirm-send"
              onClick={() => void remind()}
            >
              {t('circulars.dashboard.remindSend')}
            </button>
          )}
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            {t('circulars.dashboard.remindCancel')}
          </button>
        </div>
      )}
    </>
  );
}
