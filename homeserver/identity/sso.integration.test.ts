/**
 * OIDC single sign-on end to end: a real Synapse with its own OIDC support, the real `oidc-provider`
 * on loopback standing in for the province's identity platform, and a Node client following the
 * redirects the way a browser does.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkSsoSubject } from '../../admin/sso-links';
import { SynapseClient } from '../../admin/synapse-client';
import { startTestHomeserver, type TestHomeserver } from '../testing';
import { startIdp, type IdpAccount, type RunningIdp } from './oidc-provider';
import { ssoBrowse, type SsoBrowseOptions } from './sso-browser';
import { OIDC_AUTH_PROVIDER } from './synapse-identity';
import { probeSsoRedirect, ssoRedirectUrl } from '../../renderer/src/matrix/sso-login';

const APP_REDIRECT = 'http://127.0.0.1:9/app/';
const CLIENT = { clientId: 'hongyan', clientSecret: randomBytes(24).toString('hex') };
const ZHANG: IdpAccount = {
  subject: 'hl-0001',
  username: 'zhangsan',
  displayName: '张三',
  password: 'idp-pass-zhang',
};
/** A platform account whose username claim names zhangsan's Matrix account. */
const IMPOSTOR: IdpAccount = {
  subject: 'hl-0666',
  username: 'zhangsan',
  displayName: '冒名者',
  password: 'idp-pass-666',
};
/** Known to the platform, never provisioned in Hongyan. */
const STRANGER: IdpAccount = {
  subject: 'hl-0777',
  username: 'wangwu',
  displayName: '王五',
  password: 'idp-pass-777',
};
const LEAVER: IdpAccount = {
  subject: 'hl-0002',
  username: 'lisi',
  displayName: '李四',
  password: 'idp-pass-li',
};

/** Node's fetch stalls on `no-cors` (a browser-only mode); the probe's redirects are the same without it. */
const nodeFetch: typeof fetch = (input, init) => {
  const { mode: _mode, ...rest } = init ?? {};
  return fetch(input, rest);
};

let idp: RunningIdp;
let idpPort: number;
let hs: TestHomeserver;
let admin: SynapseClient;

async function startProvider(port?: number): Promise<RunningIdp> {
  const running = await startIdp({
    accounts: [ZHANG, IMPOSTOR, STRANGER, LEAVER],
    ...(port ? { port } : {}),
  });
  if (hs)
    running.registerClient({
      ...CLIENT,
      redirectUris: [`${hs.baseUrl}/_synapse/client/oidc/callback`],
    });
  return running;
}

function browse(account: IdpAccount, extra: Partial<SsoBrowseOptions> = {}) {
  return ssoBrowse({
    homeserverUrl: hs.baseUrl,
    idpId: OIDC_AUTH_PROVIDER,
    redirectUrl: APP_REDIRECT,
    username: account.username,
    password: account.password,
    ...extra,
  });
}

async function tokenLogin(
  loginToken: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${hs.baseUrl}/_matrix/client/v3/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'm.login.token', token: loginToken }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  idp = await startProvider();
  idpPort = Number(new URL(idp.issuer).port);
  hs = await startTestHomeserver({
    oidc: { ...CLIENT, issuer: idp.issuer, appRedirectUrls: [APP_REDIRECT] },
  });
  idp.registerClient({ ...CLIENT, redirectUris: [`${hs.baseUrl}/_synapse/client/oidc/callback`] });
  admin = new SynapseClient({ baseUrl: hs.baseUrl, token: hs.admin.accessToken });
  for (const [username, account] of [
    ['zhangsan', ZHANG],
    ['lisi', LEAVER],
  ] as const) {
    const user = await hs.registerUser({ username, displayName: account.displayName });
    await linkSsoSubject(admin, {
      userId: user.userId,
      authProvider: OIDC_AUTH_PROVIDER,
      subject: account.subject,
    });
  }
});

afterAll(async () => {
  await hs?.dispose();
  await idp?.stop();
});

describe('single sign-on through the identity platform', () => {
  it('tells the app when the identity platform is unreachable, before leaving for it', async () => {
    const start = ssoRedirectUrl(hs.baseUrl, OIDC_AUTH_PROVIDER, APP_REDIRECT);
    expect(await probeSsoRedirect(start, hs.baseUrl, nodeFetch)).toBeNull();
    await idp.stop();
    try {
      expect(await probeSsoRedirect(start, hs.baseUrl, nodeFetch)).toEqual({
        kind: 'ssoUnreachable',
        url: hs.baseUrl,
      });
    } finally {
      idp = await startProvider(idpPort);
    }
    expect(await probeSsoRedirect(start, hs.baseUrl, nodeFetch)).toBeNull();
  });

  it('offers SSO and token login in the /login flows', async () => {
    const res = await fetch(`${hs.baseUrl}/_matrix/client/v3/login`);
    const body = (await res.json()) as {
      flows: { type: string; identity_providers?: { id: string; name: string }[] }[];
    };
    const sso = body.flows.find((f) => f.type === 'm.login.sso');
    expect(sso?.identity_providers).toEqual([
      expect.objectContaining({ id: OIDC_AUTH_PROVIDER, name: '统一身份认证' }),
    ]);
    expect(body.flows.map((f) => f.type)).toContain('m.login.token');
  });

  it('signs a linked person in to their provisioned account', async () => {
    const outcome = await browse(ZHANG);
    expect(outcome.kind).toBe('token');
    if (outcome.kind !== 'token') return;
    const login = await tokenLogin(outcome.loginToken);
    expect(login.status).toBe(200);
    expect(login.body['user_id']).toBe(`@zhangsan:${hs.serverName}`);
    // A login token is single-use.
    expect((await tokenLogin(outcome.loginToken)).status).toBe(403);
  });

  it('refuses a person unknown to the org and creates no account', async () => {
    const outcome = await browse(STRANGER);
    expect(outcome).toMatchObject({ kind: 'page', ssoError: 'mapping_error' });
    if (outcome.kind === 'page') expect(outcome.html).toContain('未关联鸿雁账号');
    const lookup = await fetch(
      `${hs.baseUrl}/_synapse/admin/v2/users/${encodeURIComponent(`@wangwu:${hs.serverName}`)}`,
      { headers: { authorization: `Bearer ${hs.admin.accessToken}` } },
    );
    expect(lookup.status).toBe(404);
  });

  it('never hands an account to a claim that names it: the subject must be linked', async () => {
    const outcome = await browse(IMPOSTOR);
    expect(outcome).toMatchObject({ kind: 'page', ssoError: 'mapping_error' });
    const user = await admin.get<{ external_ids: { external_id: string }[] }>(
      `/_synapse/admin/v2/users/${encodeURIComponent(`@zhangsan:${hs.serverName}`)}`,
    );
    expect(user.external_ids.map((e) => e.external_id)).toEqual([ZHANG.subject]);
    await expect(
      linkSsoSubject(admin, {
        userId: `@lisi:${hs.serverName}`,
        authProvider: OIDC_AUTH_PROVIDER,
        subject: ZHANG.subject,
      }),
    ).rejects.toThrow(/already linked to @zhangsan/);
  });

  it('refuses a tampered state and a tampered nonce', async () => {
    const state = await browse(ZHANG, { tamper: 'state' });
    expect(state.kind).toBe('page');
    if (state.kind === 'page') {
      expect(state.status).toBeGreaterThanOrEqual(400);
      expect(state.ssoError).toMatch(/session|request/);
    }
    const nonce = await browse(ZHANG, { tamper: 'nonce' });
    expect(nonce).toMatchObject({ kind: 'page', ssoError: 'invalid_token' });
  });

  it('refuses a deactivated account with its own page', async () => {
    await admin.request(
      'POST',
      `/_synapse/admin/v1/deactivate/${encodeURIComponent(`@lisi:${hs.serverName}`)}`,
      {
        body: { erase: false },
      },
    );
    const outcome = await browse(LEAVER);
    expect(outcome).toMatchObject({ kind: 'page', status: 403, ssoError: 'account_deactivated' });
  });
});
