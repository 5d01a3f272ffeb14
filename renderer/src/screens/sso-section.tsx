import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { normaliseHomeserverUrl } from '../matrix/login-errors';
import { readLoginFlows, type LoginFlows } from '../matrix/sso-login';

/** The login methods of the typed homeserver, read again shortly after the address changes. */
export function useLoginFlows(homeserverUrl: string): LoginFlows | null {
  const [flows, setFlows] = useState<LoginFlows | null>(null);
  useEffect(() => {
    const normalised = normaliseHomeserverUrl(homeserverUrl);
    if (!normalised.ok) return;
    let live = true;
    const timer = setTimeout(() => {
      void readLoginFlows(normalised.url).then((f) => {
        if (live) setFlows(f);
      });
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [homeserverUrl]);
  return flows;
}

/**
 * The single sign-on part of the login card: one 统一身份认证登录 button per identity provider the
 * server offers, the divider before the password form, or a note when neither method is available.
 */
export function SsoSection(props: {
  flows: LoginFlows | null;
  showPassword: boolean;
  passwordLogin: boolean;
  busy: boolean;
  onSso(idpId: string): void;
}) {
  const { t } = useTranslation();
  const providers = props.flows?.sso ?? [];
  return (
    <>
      {providers.map((idp) => (
        <button
          key={idp.id}
          type="button"
          className="primary sso-button"
          data-testid="login-sso"
          data-idp={idp.id}
          disabled={props.busy}
          onClick={() => props.onSso(idp.id)}
        >
          {providers.length === 1 ? t('login.sso') : t('login.ssoWith', { name: idp.name })}
        </button>
      ))}
      {providers.length > 0 && props.showPassword && (
        <div className="login-divider muted">{t('login.or')}</div>
      )}
      {!props.passwordLogin && props.flows !== null && providers.length === 0 && (
        <div className="form-error" role="alert" data-testid="login-password-disabled">
          {t('login.errors.passwordDisabled')}
        </div>
      )}
    </>
  );
}
