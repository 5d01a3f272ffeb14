import { describe, expect, it } from 'vitest';
import { insecureTransportReason, isLoopbackHost, normaliseHttpUrl } from './transport';

describe('transport policy', () => {
  it.each(['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'LOCALHOST'])('%s is loopback', (host) =>
    expect(isLoopbackHost(host)).toBe(true),
  );
  it.each(['127.0.0.1.example.org', 'localhost.example', '10.0.0.1', '[::2]', ''])(
    '%s is not loopback',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );
  it('allows https anywhere and http to loopback only', () => {
    expect(insecureTransportReason('https://matrix.example.gov.cn')).toBeNull();
    expect(insecureTransportReason('http://127.0.0.1:8008')).toBeNull();
    expect(insecureTransportReason('http://[::1]:8008/x')).toBeNull();
    expect(insecureTransportReason('http://matrix.example.gov.cn:8008/?t=secret')).toBe(
      'http://matrix.example.gov.cn:8008 is not https (plain http is allowed only to a loopback address)',
    );
    expect(insecureTransportReason('ftp://x')).toContain('is not https');
  });
});

describe('normaliseHttpUrl as the login screen uses it', () => {
  const typed = (input: string) =>
    normaliseHttpUrl(input, { allowLoopbackHttp: true, bareHostIsHttps: true });

  it('takes a bare host as https, and leaves a given scheme alone', () => {
    expect(typed(' Matrix.Example.gov.cn ')).toEqual({
      ok: true,
      value: 'https://matrix.example.gov.cn',
    });
    expect(typed('http://localhost:8008/')).toEqual({ ok: true, value: 'http://localhost:8008' });
    expect(normaliseHttpUrl('matrix.example.gov.cn', { allowLoopbackHttp: true }).ok).toBe(false);
  });

  it('names the origin of a refused plain-http URL', () => {
    expect(typed('http://Matrix.Example.gov.cn:8008/x')).toMatchObject({
      ok: false,
      problem: 'insecure',
      origin: 'http://matrix.example.gov.cn:8008',
    });
  });

  it.each([
    ['ftp://example.org', 'ftp: (http/https only)'],
    ['https://zhang:secret-pw@example.org', 'user:password@'],
    ['https://example.org/?access_token=secret', '?…'],
    ['https://example.org:99999', ':99999'],
  ])('says what is wrong with %s without repeating a secret', (input, detail) => {
    const r = typed(input);
    expect(r).toMatchObject({ ok: false, problem: 'invalid', detail });
    expect(JSON.stringify(r.ok ? r : r.problem === 'invalid' ? r.detail : '')).not.toContain(
      'secret',
    );
  });
});
