/**
 * Single sign-on through the homeserver (`m.login.sso`): which login methods the server offers, the
 * redirect URL that starts a sign-in at the identity platform, and a reachability check of that
 * platform before the user is sent there.
 */
import type { Platform } from '../platform/platform';
import { normaliseHomeserverUrl, probeHomeserver } from './login-errors';
import type { LoginError } from '../store/session-slice';

/** One identity provider the homeserver offers (`identity_providers` of the `m.login.sso` flow). */
export interface IdentityProvider {
  id: string;
  name: string;
}

/** The login methods a homeserver offers, read from `GET /login`. */
export interface LoginFlows {
  password: boolean;
  /** Empty when the server offers no single sign-on. */
  sso: IdentityProvider[];
}

function isProvider(value: unknown): value is IdentityProvider {
  const v = value as Partial<IdentityProvider> | null;
  return typeof v?.id === 'string' && typeof v.name === 'string';
}

/** Reads the login flows; a server that cannot be read yields `null` (the login then reports why). */
export async function readLoginFlows(
  homeserverUrl: string,
  fetchFn: typeof fetch = fetch,
): Promise<LoginFlows | null> {
  try {
    const res = await fetchFn(`${homeserverUrl}/_matrix/client/v3/login`, {
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return null;
    const body = (await res.json()) as { flows?: unknown };
    if (!Array.isArray(body.flows)) return null;
    const flows = body.flows as Array<{ type?: unknown; identity_providers?: unknown }>;
    const sso = flows.find((f) => f.type === 'm.login.sso');
    const providers = Array.isArray(sso?.identity_providers)
      ? sso.identity_providers.filter(isProvider)
      : [];
    const tokenLogin = flows.some((f) => f.type === 'm.login.token');
    return {
      password: flows.some((f) => f.type === 'm.login.password'),
      // Without token login the SSO round trip could never finish.
      sso: tokenLogin ? providers.map(({ id, name }) => ({ id, name })) : [],
    };
  } catch {
    return null;
  }
}

/** The URL that starts a sign-in at `idpId`; the server sends the browser back to `redirectUrl` with a login token. */
export function ssoRedirectUrl(homeserverUrl: string, idpId: string, redirectUrl: string): string {
  const url = new URL(
    `${homeserverUrl}/_matrix/client/v3/login/sso/redirect/${encodeURIComponent(idpId)}`,
  );
  url.searchParams.set('redirectUrl', redirectUrl);
  return url.toString();
}

/**
 * Follows the sign-in redirects (homeserver, then identity platform) without credentials, so that
 * an unreachable platform is told to the user on the login screen instead of a browser error page.
 * `no-cors`: only whether the chain answers matters, never what it says.
 */
export async function probeSsoRedirect(
  url: string,
  homeserverUrl: string,
  fetchFn: typeof fetch = fetch,
): Promise<LoginError | null> {
  // A page whose content policy does not name the platform cannot tell: the browser then blocks
  // the probe itself, which says nothing about the platform, and the sign-in goes ahead.
  let blockedByPolicy = false;
  const onViolation = (e: SecurityPolicyViolationEvent) => {
    if (e.effectiveDirective === 'connect-src') blockedByPolicy = true;
  };
  const doc = typeof document === 'undefined' ? null : document;
  doc?.addEventListener('securitypolicyviolation', onViolation);
  try {
    await fetchFn(url, {
      mode: 'no-cors',
      credentials: 'omit',
      redirect: 'follow',
      signal: AbortSignal.timeout(10_000),
    });
    return null;
  } catch {
    // The violation event is queued as a task of its own: let it arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return blockedByPolicy ? null : { kind: 'ssoUnreachable', url: homeserverUrl };
  } finally {
    doc?.removeEventListener('securitypolicyviolation', onViolation);
  }
}

/** Query parameter the homeserver adds to the redirect URL. */
export const LOGIN_TOKEN_PARAM = 'loginToken';

/**
 * Takes the login token out of the page's URL (web mode) and removes it from the address bar and
 * history at once, so it is never bookmarked, shared or left in history. Returns null if absent.
 */
export function takeLoginTokenFromLocation(
  location: Pick<Location, 'href'>,
  replaceUrl: (url: string) => void,
): string | null {
  const url = new URL(location.href);
  const token = url.searchParams.get(LOGIN_TOKEN_PARAM);
  if (token === null) return null;
  url.searchParams.delete(LOGIN_TOKEN_PARAM);
  replaceUrl(url.toString());
  return /^[A-Za-z0-9_\-.~]{1,1024}$/.test(token) ? token : null;
}

/** Where the homeserver chosen for a sign-in in progress is kept across the round trip. */
const PENDING_HOMESERVER_KEY = 'hongyan-sso-homeserver';

/**
 * Starts a single sign-on at `idpId`: checks the homeserver and (where the page may reach it) the
 * identity platform, remembers the homeserver for the way back, then leaves for the platform.
 * Returns the error to show instead, if any.
 */
export async function startSsoLogin(params: {
  platform: Pick<Platform, 'kind' | 'ssoRedirectUrl' | 'startSso'>;
  homeserverUrl: string;
  idpId: string;
}): Promise<LoginError | null> {
  const normalised = normaliseHomeserverUrl(params.homeserverUrl);
  if (!normalised.ok) return normalised.error;
  const hs = normalised.url;
  const probe = await probeHomeserver(hs);
  if (probe) return probe;
  const url = ssoRedirectUrl(hs, params.idpId, params.platform.ssoRedirectUrl());
  // The desktop app's content policy lets it reach the homeserver only; its system browser says
  // itself when the platform is down.
  if (params.platform.kind === 'web') {
    const unreachable = await probeSsoRedirect(url, hs);
    if (unreachable) return unreachable;
  }
  sessionStorage.setItem(PENDING_HOMESERVER_KEY, hs);
  try {
    await params.platform.startSso(url);
  } catch (err) {
    return { kind: 'unknown', detail: (err as Error).message };
  }
  return null;
}

/** The homeserver of the sign-in that handed back a token (and forgets it), or the default. */
export function takePendingSsoHomeserver(fallback: string): string {
  const hs = sessionStorage.getItem(PENDING_HOMESERVER_KEY);
  sessionStorage.removeItem(PENDING_HOMESERVER_KEY);
  return hs ?? fallback;
}
