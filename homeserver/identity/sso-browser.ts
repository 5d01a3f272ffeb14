/**
 * A minimal browser for tests: follows the SSO redirects between Synapse and the identity provider
 * with a cookie jar, fills in the provider's login form, and stops at the app's redirect URL (or at
 * the page that ended the flow). Optional tampering plays an attacker who edits the OIDC `state` or
 * `nonce` on the way.
 */

/** How the flow ended. */
export type SsoOutcome =
  | { kind: 'token'; loginToken: string }
  | { kind: 'page'; status: number; url: string; html: string; ssoError: string | null };

/** Options of {@link ssoBrowse}. */
export interface SsoBrowseOptions {
  homeserverUrl: string;
  /** The IdP id as Synapse lists it in the `/login` flows (`oidc-province`). */
  idpId: string;
  /** Where the app wants the login token. */
  redirectUrl: string;
  username: string;
  password: string;
  /** Replace the `state` on the way back to Synapse, or the `nonce` on the way to the provider. */
  tamper?: 'state' | 'nonce';
}

const MAX_STEPS = 20;

class CookieJar {
  private readonly byOrigin = new Map<string, Map<string, string>>();

  store(url: URL, res: Response): void {
    const jar = this.byOrigin.get(url.origin) ?? new Map<string, string>();
    this.byOrigin.set(url.origin, jar);
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
  }

  header(url: URL): string {
    const jar = this.byOrigin.get(url.origin);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
}

function tampered(url: URL, param: string): URL {
  const copy = new URL(url);
  const value = copy.searchParams.get(param);
  if (value !== null) copy.searchParams.set(param, `${value.slice(0, -2)}xx`);
  return copy;
}

/** Runs one SSO login the way a browser would. */
export async function ssoBrowse(opts: SsoBrowseOptions): Promise<SsoOutcome> {
  const jar = new CookieJar();
  const start = new URL(
    `${opts.homeserverUrl}/_matrix/client/v3/login/sso/redirect/${encodeURIComponent(opts.idpId)}`,
  );
  start.searchParams.set('redirectUrl', opts.redirectUrl);
  const callbackPath = '/_synapse/client/oidc/callback';
  let url = start;
  let init: RequestInit = { method: 'GET' };
  let loggedIn = false;
  for (let step = 0; step < MAX_STEPS; step++) {
    if (opts.tamper === 'state' && url.pathname === callbackPath) url = tampered(url, 'state');
    if (opts.tamper === 'nonce' && url.pathname.endsWith('/auth') && url.searchParams.has('nonce'))
      url = tampered(url, 'nonce');
    const headers = new Headers(init.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    jar.store(url, res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      if (location.startsWith(opts.redirectUrl)) {
        const token = new URL(location).searchParams.get('loginToken');
        if (!token) throw new Error(`redirected back without a loginToken: ${location}`);
        return { kind: 'token', loginToken: token };
      }
      url = new URL(location, url);
      init = { method: 'GET' };
      continue;
    }
    const html = await res.text();
    const form = /<form method="post" action="([^"]+)"/.exec(html);
    if (res.status === 200 && form?.[1] && !loggedIn) {
      loggedIn = true;
      url = new URL(form[1], url);
      init = {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: opts.username, password: opts.password }).toString(),
      };
      continue;
    }
    const ssoError = /data-sso-error="([^"]*)"/.exec(html)?.[1] ?? null;
    return { kind: 'page', status: res.status, url: url.toString(), html, ssoError };
  }
  throw new Error(`SSO flow did not finish within ${MAX_STEPS} requests`);
}
