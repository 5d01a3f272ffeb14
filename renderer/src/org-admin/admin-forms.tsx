import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../components/error-note';
import { explainErrorAs, type ErrorText } from '../i18n/error-text';
import {
  parseAdminRequest,
  type AdminAction,
  type AdminRequest,
  type AgentKeyContent,
} from '../../../shared/org/admin-requests';
import { UNIT_LEVELS, UNIT_ROLES, type UnitRole } from '../../../shared/org/types';
import { generateInitialPassword, sealPassword } from './seal-password';

/** Choices the forms offer: units and people inside the admin's subtree. */
export interface AdminFormScope {
  units: { code: string; name: string }[];
  people: { userId: string; displayName: string }[];
}

/** Props of {@link AdminForm}. */
export interface AdminFormProps {
  action: AdminAction;
  scope: AdminFormScope;
  /** The unit the admin acts for (default parent / unit of new things). */
  unitCode: string;
  /** The org agent's key; without it no account can be created. */
  agentKey: AgentKeyContent | undefined;
  busy: boolean;
  /** Sends the request; resolves with its id once the server accepted the event. */
  onSubmit(request: AdminRequest): Promise<string>;
  /** Where a sent request stands: waiting for the org agent, done, or refused. */
  statusOf(requestId: string): 'pending' | 'ok' | 'error';
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="admin-field">
      <span>{label}</span>
      {children}
    </label>
  );
}

/** One form per admin action; the request is checked with the shared schema before it is sent. */
export function AdminForm({
  action,
  scope,
  unitCode,
  agentKey,
  busy,
  onSubmit,
  statusOf,
}: AdminFormProps) {
  const { t } = useTranslation();
  const initial = { unitCode, parentCode: unitCode, toUnitCode: unitCode, level: 'department' };
  const [v, setV] = useState<Record<string, string>>(initial);
  const [roles, setRoles] = useState<UnitRole[]>(['member']);
  const [error, setError] = useState<ErrorText | null>(null);
  const [password, setPassword] = useState<{
    requestId: string;
    who: string;
    password: string;
  } | null>(null);
  const set = (k: string) => (e: { target: { value: string } }) =>
    setV((prev) => ({ ...prev, [k]: e.target.value }));
  const text = (k: string, opts: { list?: string; placeholder?: string } = {}) => (
    <input
      name={k}
      data-testid={`admin-${k}`}
      value={v[k] ?? ''}
      onChange={set(k)}
      {...(opts.list ? { list: opts.list } : {})}
      {...(opts.placeholder ? { placeholder: opts.placeholder } : {})}
    />
  );
  const opt = (k: string) => (v[k]?.trim() ? { [k]: v[k].trim() } : {});

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setPassword(null);
    const draft: Record<string, unknown> = { action };
    let initialPassword: string | undefined;
    switch (action) {
      case 'create-user': {
        if (!agentKey) return setError({ text: t('admin.noAgent') });
        initialPassword = generateInitialPassword();
        Object.assign(draft, {
          username: v.username?.trim(),
          displayName: v.displayName?.trim(),
          unitCode: v.unitCode?.trim(),
          roles,
          ...opt('position'),
        });
        draft.sealedPassword = await sealPassword(initialPassword, agentKey);
        break;
      }
      case 'move-user':
        Object.assign(draft, {
          userId: v.userId?.trim(),
          toUnitCode: v.toUnitCode?.trim(),
          roles,
          ...opt('position'),
        });
        break;
      case 'deactivate-user':
        Object.assign(draft, { userId: v.userId?.trim() });
        break;
      case 'set-roles':
        Object.assign(draft, { userId: v.userId?.trim(), roles, ...opt('position') });
        break;
      case 'add-unit':
        Object.assign(draft, {
          code: v.code?.trim(),
          name: v.name?.trim(),
          level: v.level,
          parentCode: v.parentCode?.trim(),
        });
        break;
      case 'add-department':
        Object.assign(draft, {
          unitCode: v.unitCode?.trim(),
          slug: v.slug?.trim(),
          name: v.name?.trim(),
        });
        break;
    }
    const parsed = parseAdminRequest(draft);
    if (!parsed.ok) return setError({ text: t('admin.invalidForm'), detail: parsed.error });
    try {
      const requestId = await onSubmit(parsed.request);
      setV(initial);
      setRoles(['member']);
      // Shown once, after the request is on its way: the admin hands it to the new colleague.
      if (initialPassword && parsed.request.action === 'create-user')
        setPassword({
          requestId,
          who: `${parsed.request.displayName}（${parsed.request.username}）`,
          password: initialPassword,
        });
    } catch (err) {
      setError(explainErrorAs(t, 'admin.sendFailed', err));
    }
  };

  const roleBoxes = (
    <fieldset className="admin-roles">
      <legend>{t('admin.roles')}</legend>
      {UNIT_ROLES.map((r) => (
        <label key={r}>
          <input
            type="checkbox"
            data-testid={`admin-role-${r}`}
            checked={roles.includes(r)}
            onChange={(e) =>
              setRoles((prev) => (e.target.checked ? [...prev, r] : prev.filter((x) => x !== r)))
            }
          />
          {t(`org.role.${r}`)}
        </label>
      ))}
    </fieldset>
  );

  return (
    <form
      className="admin-form"
      onSubmit={(e) => void submit(e)}
      data-testid={`admin-form-${action}`}
    >
      <datalist id="admin-unit-options">
        {scope.units.map((u) => (
          <option key={u.code} value={u.code}>
            {u.name}
          </option>
        ))}
      </datalist>
      <datalist id="admin-people-options">
        {scope.people.map((p) => (
          <option key={p.userId} value={p.userId}>
            {p.displayName}
          </option>
        ))}
      </datalist>
      {action === 'create-user' && (
        <>
          <Field label={t('admin.username')}>
            {text('username', { placeholder: 'zhang.wei' })}
          </Field>
          <Field label={t('admin.displayName')}>
            {text('displayName', { placeholder: '张伟' })}
          </Field>
          <Field label={t('admin.unit')}>{text('unitCode', { list: 'admin-unit-options' })}</Field>
          <Field label={t('admin.position')}>{text('position')}</Field>
          {roleBoxes}
        </>
      )}
      {(action === 'move-user' || action === 'deactivate-user' || action === 'set-roles') && (
        <Field label={t('admin.user')}>
          {text('userId', { list: 'admin-people-options', placeholder: '@name:server' })}
        </Field>
      )}
      {action === 'move-user' && (
        <>
          <Field label={t('admin.toUnit')}>
            {text('toUnitCode', { list: 'admin-unit-options' })}
          </Field>
          <Field label={t('admin.position')}>{text('position')}</Field>
          {roleBoxes}
        </>
      )}
      {action === 'set-roles' && (
        <>
          {roleBoxes}
          <Field label={t('admin.position')}>{text('position')}</Field>
        </>
      )}
      {action === 'deactivate-user' && (
        <p className="admin-warning">{t('admin.deactivateWarning')}</p>
      )}
      {action === 'add-unit' && (
        <>
          <Field label={t('admin.parentUnit')}>
            {text('parentCode', { list: 'admin-unit-options' })}
          </Field>
          <Field label={t('admin.unitCode')}>{text('code')}</Field>
          <Field label={t('admin.unitName')}>{text('name')}</Field>
          <Field label={t('admin.level')}>
            <select value={v.level} onChange={set('level')} data-testid="admin-level">
              {UNIT_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t(`org.level.${l}`)}
                </option>
              ))}
            </select>
          </Field>
        </>
      )}
      {action === 'add-department' && (
        <>
          <Field label={t('admin.unit')}>{text('unitCode', { list: 'admin-unit-options' })}</Field>
          <Field label={t('admin.slug')}>{text('slug', { placeholder: 'office' })}</Field>
          <Field label={t('admin.roomName')}>{text('name', { placeholder: '办公室' })}</Field>
        </>
      )}
      {error && (
        <div className="admin-error">
          <ErrorNote error={error} testId="admin-error" />
        </div>
      )}
      <div className="admin-actions">
        <button
          type="submit"
          className="primary"
          disabled={busy || (action === 'create-user' && !agentKey)}
          data-testid="admin-submit"
        >
          {busy ? t('admin.sending') : t(`admin.submit.${action}`)}
        </button>
      </div>
      {password && <PasswordBox {...password} status={statusOf(password.requestId)} />}
    </form>
  );
}

/**
 * The new account's initial password, shown once. It is only worth handing over once the org agent
 * has created the account, so the box follows the request: waiting, ready, or not created.
 */
function PasswordBox(props: { who: string; password: string; status: 'pending' | 'ok' | 'error' }) {
  const { t } = useTranslation();
  if (props.status === 'error') {
    return (
      <div
        className="admin-password failed"
        data-testid="admin-initial-password-box"
        data-status="error"
      >
        <p>{t('admin.accountNotCreated', { who: props.who })}</p>
      </div>
    );
  }
  return (
    <div
      className="admin-password"
      data-testid="admin-initial-password-box"
      data-status={props.status}
    >
      <p>{t('admin.initialPassword', { who: props.who })}</p>
      <code data-testid="admin-initial-password">{props.password}</code>
      <p className="admin-hint">
        {props.status === 'pending' ? t('admin.accountPending') : t('admin.initialPasswordHint')}
      </p>
    </div>
  );
}
