/**
 * The resident's join page, opened from an invitation link (docs/mobile-and-residents.md): before
 * sign-in it shows the community from the link and offers registration with the link's token or
 * sign-in; once signed in it asks the org agent to place the account and shows the outcome.
 */
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParsedInvite } from '../../../shared/residents/invite-link';
import type { InviteLinkProblem } from '../../../shared/residents/invite-link';
import type { JoinRefusal } from '../../../shared/residents/invites';
import { formatDateTime } from '../i18n/date-format';
import { useClientManager } from '../matrix/client-context';
import { SignInPage } from '../components/sign-in-page';
import { useErrorText } from '../i18n/login-error-text';
import { useAppStore } from '../store/store-context';
import {
  askAgentToJoin,
  checkRegisterInput,
  readInvite,
  registerWithToken,
  type RegisterProblem,
} from './join-flow';
import './residents.css';

type InviteState =
  | { kind: 'reading' }
  | { kind: 'ok'; invite: ParsedInvite }
  | { kind: 'bad'; problem: InviteLinkProblem };

/** The invitation in a URL fragment, read asynchronously (the digest is WebCrypto). */
export function useInvite(fragment: string): InviteState {
  const [state, setState] = useState<InviteState>({ kind: 'reading' });
  useEffect(() => {
    let live = true;
    void readInvite(fragment).then((r) => {
      if (live)
        setState(r.ok ? { kind: 'ok', invite: r.invite } : { kind: 'bad', problem: r.problem });
    });
    return () => {
      live = false;
    };
  }, [fragment]);
  return state;
}

function JoinFrame({ children, testId }: { children: ReactNode; testId: string }) {
  return (
    <SignInPage className="join-page">
      <div className="login-card join-card" data-testid={testId}>
        {children}
      </div>
    </SignInPage>
  );
}

/** Why the invitation cannot be used, naming the community and whom to ask when known. */
type Refusal = InviteLinkProblem | JoinRefusal | 'tokenRefused';

/**
 * The one page for every invitation that cannot be used (expired on sight, used up or revoked at
 * registration, the agent's refusals, altered links): the community's invitation as the heading,
 * what is wrong, whom to ask for a new one, and, where an existing account may still get in
 * (`onSignIn`: a resident already placed through this link), sign-in.
 */
export function RefusedPage({
  refusal,
  invite,
  onClose,
  onSignIn,
}: {
  refusal: Refusal;
  invite?: { unitName?: string | undefined; contact?: string | undefined };
  onClose(): void;
  onSignIn?: () => void;
}) {
  const { t } = useTranslation();
  const unit = invite?.unitName ?? '';
  const hint =
    refusal === 'altered' || refusal === 'malformed'
      ? t(`residents.refused.${refusal}Hint`)
      : invite?.contact
        ? t('residents.refused.ask', { contact: invite.contact, unit })
        : t('residents.refused.askSomeone');
  return (
    <JoinFrame testId="join-refused">
      {unit && <h1 data-testid="join-refused-unit">{t('residents.refused.title', { unit })}</h1>}
      <p className="join-refused" role="alert" data-refusal={refusal}>
        {t(`residents.refused.${refusal}`, { unit })}
      </p>
      <p className="muted" data-testid="join-refused-ask">
        {hint}
      </p>
      {onSignIn && (
        <button
          type="button"
          className="primary"
          data-testid="join-refused-sign-in"
          onClick={onSignIn}
        >
          {t('residents.refused.signIn')}
        </button>
      )}
      <button type="button" className="secondary" data-testid="join-close" onClick={onClose}>
        {t('residents.refused.close')}
      </button>
    </JoinFrame>
  );
}

function InviteFacts({ invite }: { invite: ParsedInvite }) {
  const { t } = useTranslation();
  const d = invite.descriptor;
  return (
    <>
      <h1 data-testid="join-unit">{t('residents.join.title', { unit: d.unitName })}</h1>
      <div className="join-facts">
        <span>{t('residents.join.intro', { unit: d.unitName, contact: d.contact })}</span>
        <span data-testid="join-expiry">
          {t('residents.join.expires', { time: formatDateTime(d.expiresAt) })}
        </span>
      </div>
    </>
  );
}

/**
 * Before sign-in: the community from the link, then registration with the link's token or sign-in
 * with an existing account. `onSignIn` performs the app's ordinary sign-in.
 */
export function JoinScreen({
  fragment,
  homeserverUrl,
  onSignIn,
  onDisplayName,
  onClose,
}: {
  fragment: string;
  homeserverUrl: string;
  onSignIn(p: { homeserverUrl: string; username: string; password: string }): void;
  /** The name the resident chose, to set once signed in. */
  onDisplayName(name: string): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const state = useInvite(fragment);
  const status = useAppStore((s) => s.status);
  const loginError = useAppStore((s) => s.loginError);
  const errorText = useErrorText();
  const [mode, setMode] = useState<'register' | 'sign-in'>('register');
  const [form, setForm] = useState({ displayName: '', username: '', password: '', confirm: '' });
  const [problem, setProblem] = useState<RegisterProblem | null>(null);
  const [registering, setRegistering] = useState(false);
  // When the page was opened: a link found expired then is refused on sight (below).
  const [openedAt] = useState(() => Date.now());
  if (state.kind === 'reading') return <JoinFrame testId="join-reading">{null}</JoinFrame>;
  if (state.kind === 'bad') return <RefusedPage refusal={state.problem} onClose={onClose} />;
  const invite = state.invite;
  // The link's expiry is bound to its token, so a link opened after it needs no round trip: the page
  // says it expired, where Synapse's refusal of the token would not say why.
  if (openedAt >= invite.descriptor.expiresAt)
    return <RefusedPage refusal="expired" invite={invite.descriptor} onClose={onClose} />;
  // The link is not expired (above), so Synapse refusing its token means its places are used up
  // or it was revoked; someone with an account (already placed through it) may still sign in.
  if (problem === 'tokenRefused')
    return (
      <RefusedPage
        refusal="tokenRefused"
        invite={invite.descriptor}
        onClose={onClose}
        onSignIn={() => {
          setProblem(null);
          setMode('sign-in');
        }}
      />
    );
  const busy = registering || status === 'signing-in';
  const field = (key: keyof typeof form, label: string, type = 'text', auto = 'off') => (
    <label>
      {label}
      <input
        data-testid={`join-${key}`}
        type={type}
        value={form[key]}
        autoComplete={auto}
        spellCheck={false}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
    </label>
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const username = form.username.trim();
    if (mode === 'sign-in') {
      onSignIn({ homeserverUrl, username, password: form.password });
      return;
    }
    const bad = checkRegisterInput({ ...form, username });
    setProblem(bad);
    if (bad) return;
    setRegistering(true);
    void registerWithToken(homeserverUrl, {
      username,
      password: form.password,
      token: invite.token,
    })
      .then((refused) => {
        setProblem(refused);
        if (refused) return;
        onDisplayName(form.displayName.trim());
        onSignIn({ homeserverUrl, username, password: form.password });
      })
      .finally(() => setRegistering(false));
  };

  return (
    <JoinFrame testId="join-page">
      <InviteFacts invite={invite} />
      <form className="join-form" onSubmit={submit} noValidate data-testid="join-form">
        {mode === 'register' &&
          field('displayName', t('residents.join.displayName'), 'text', 'name')}
        {field('username', t('residents.join.username'), 'text', 'username')}
        {field(
          'password',
          t('residents.join.password'),
          'password',
          mode === 'register' ? 'new-password' : 'current-password',
        )}
        {mode === 'register' && (
          <>
            {field('confirm', t('residents.join.confirm'), 'password', 'new-password')}
            <p className="join-policy" data-testid="join-policy">
              {t('residents.join.policy')}
            </p>
          </>
        )}
        {mode === 'register' && problem && (
          <div className="form-error" role="alert" data-testid="join-error" data-problem={problem}>
            {t(`residents.register.${problem}`)}
          </div>
        )}
        {loginError && !registering && (
          <div className="form-error" role="alert" data-testid="join-login-error">
            {errorText(loginError)}
          </div>
        )}
        <button type="submit" className="primary" data-testid="join-submit" disabled={busy}>
          {mode === 'register'
            ? t(busy ? 'residents.join.registering' : 'residents.join.register')
            : t(busy ? 'residents.join.signingIn' : 'residents.join.signIn')}
        </button>
        <button
          type="button"
          className="secondary"
          data-testid="join-switch"
          onClick={() => {
            setProblem(null);
            setMode(mode === 'register' ? 'sign-in' : 'register');
          }}
        >
          {mode === 'register'
            ? t('residents.join.haveAccount')
            : t('residents.join.backToRegister')}
        </button>
        <p className="join-policy">
          {t('residents.join.contact', { contact: invite.descriptor.contact })}
        </p>
      </form>
    </JoinFrame>
  );
}

type JoinProgress =
  | { kind: 'asking' }
  | { kind: 'no-answer' }
  | { kind: 'send-failed' }
  | { kind: 'joined'; unitName: string }
  | { kind: 'refused'; code: JoinRefusal; unitName?: string; contact?: string };

/**
 * Signed in with a link open: asks the agent to place this account and shows the outcome. The
 * chosen display name (after registration) is set first. `onDone` leaves for the normal app.
 */
export function JoinResultScreen({
  fragment,
  displayName,
  onDone,
}: {
  fragment: string;
  displayName: string | null;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const manager = useClientManager();
  const state = useInvite(fragment);
  const [progress, setProgress] = useState<JoinProgress>({ kind: 'asking' });
  const invite = state.kind === 'ok' ? state.invite : undefined;

  // Sets state only once the agent answers (or not), so the effect below may start it.
  const ask = useCallback(() => {
    const client = manager.client;
    if (!invite || !client) return;
    const named = displayName ? client.setDisplayName(displayName).catch(() => undefined) : null;
    void Promise.resolve(named)
      .then(() => askAgentToJoin(client, invite))
      .then((result) => {
        if (!result) setProgress({ kind: 'no-answer' });
        else if (result.status === 'ok') setProgress({ kind: 'joined', unitName: result.unitName });
        else
          setProgress({
            kind: 'refused',
            code: result.code,
            unitName: result.unitName ?? invite.descriptor.unitName,
            contact: result.contact ?? invite.descriptor.contact,
          });
      })
      .catch(() => setProgress({ kind: 'send-failed' }));
  }, [manager, invite, displayName]);

  useEffect(() => ask(), [ask]);

  if (state.kind === 'reading') return <JoinFrame testId="join-reading">{null}</JoinFrame>;
  if (state.kind === 'bad') return <RefusedPage refusal={state.problem} onClose={onDone} />;
  if (progress.kind === 'refused')
    return <RefusedPage refusal={progress.code} invite={progress} onClose={onDone} />;
  const unit = state.invite.descriptor.unitName;
  return (
    <JoinFrame testId={progress.kind === 'joined' ? 'join-joined' : 'join-progress'}>
      {progress.kind === 'joined' ? (
        <>
          <h1>{t('residents.join.joinedTitle', { unit: progress.unitName })}</h1>
          <p className="muted">{t('residents.join.joinedBody')}</p>
          <button type="button" className="primary" data-testid="join-enter" onClick={onDone}>
            {t('residents.join.enter')}
          </button>
        </>
      ) : progress.kind === 'asking' ? (
        <p role="status">{t('residents.join.joining', { unit })}</p>
      ) : (
        <>
          <p className="form-error" role="alert">
            {t(
              progress.kind === 'no-answer'
                ? 'residents.join.noAnswer'
                : 'residents.join.sendFailed',
            )}
          </p>
          <button
            type="button"
            className="primary"
            data-testid="join-retry"
            onClick={() => {
              setProgress({ kind: 'asking' });
              ask();
            }}
          >
            {t('residents.join.retry')}
          </button>
        </>
      )}
    </JoinFrame>
  );
}
