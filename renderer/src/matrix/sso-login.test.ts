import { describe, expect, it } from 'vitest';
import { readLoginFlows, ssoRedirectUrl, takeLoginTokenFromLocation } from './sso-login';

const answer =
  (body: unknown): typeof fetch =>
  async () =>
    new Response(JSON.stringify(body));

describe('single sign-on helpers', () => {
  it('takes the login token out of the address, keeping the rest', () => {
    let replaced = '';
    const token = takeLoginTokenFromLocation(
      { href: 'https://app.example.gov.cn/web/?lang=en&loginToken=syl_abc_123#x' },
      (url) => (replaced = url),
    );
    expect(token).toBe('syl_abc_123');
    expect(replaced).toBe('https://app.example.gov.cn/web/?lang=en#x');
  });

  it('refuses a malformed token and leaves an address without one alone', () => {
    const calls: string[] = [];
    const replace = (url: string) => calls.push(url);
    expect(
      takeLoginTokenFromLocation({ href: 'https://a.cn/?loginToken=%3Cscript%3E' }, replace),
    ).toBeNull();
    expect(calls).toEqual(['https://a.cn/']);
    expect(takeLoginTokenFromLocation({ href: 'https://a.cn/' }, replace)).toBeNull();
    expect(calls).toHaveLength(1);
  });

  it('offers SSO only together with token login, and reads password login', async () => {
    const sso = {
      type: 'm.login.sso',
      identity_providers: [{ id: 'oidc-province', name: '统一身份认证', brand: 'x' }],
    };
    expect(
      await readLoginFlows('https://hs', answer({ flows: [sso, { type: 'm.login.token' }] })),
    ).toEqual({ password: false, sso: [{ id: 'oidc-province', name: '统一身份认证' }] });
    expect(
      await readLoginFlows('https://hs', answer({ flows: [sso, { type: 'm.login.password' }] })),
    ).toEqual({ password: true, sso: [] });
    expect(await readLoginFlows('https://hs', answer({ nope: 1 }))).toBeNull();
  });

  it('builds the redirect URL with the app as the way back', () => {
    expect(ssoRedirectUrl('https://hs.cn', 'oidc-province', 'hongyan://sso-callback')).toBe(
      'https://hs.cn/_matrix/client/v3/login/sso/redirect/oidc-province?redirectUrl=hongyan%3A%2F%2Fsso-callback',
    );
  });
});
