import { describe, expect, it } from 'vitest';
import { classifyLoginFailure, normaliseHomeserverUrl, probeHomeserver } from './login-errors';

describe('normaliseHomeserverUrl', () => {
  it.each([
    ['http://127.0.0.1:8008', 'http://127.0.0.1:8008'],
    ['http://127.0.0.1:8008/', 'http://127.0.0.1:8008'],
    ['  matrix.example.gov.cn ', 'https://matrix.example.gov.cn'],
    ['https://example.org/prefix/', 'https://example.org/prefix'],
  ])('accepts %s', (input, expected) => {
    expect(normaliseHomeserverUrl(input)).toEqual({ ok: true, url: expected });
  });

  it.each([
    ['', 'missingFields'],
    ['javascript://alert(1)', 'invalidUrl'],
    ['file:///etc/passwd', 'invalidUrl'],
    ['https://user:pw@example.org', 'invalidUrl'],
    ['https://example.org/?access_token=x', 'invalidUrl'],
    ['http://[::1', 'invalidUrl'],
    ['http://matrix.example.gov.cn', 'insecureUrl'],
    ['http://10.0.0.5:8008', 'insecureUrl'],
    ['http://127.0.0.1.example.org:8008', 'insecureUrl'],
  ])('refuses %j as %s', (input, kind) => {
    const r = normaliseHomeserverUrl(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe(kind);
  });
});

describe('classifyLoginFailure', () => {
  const url = 'http://hs';
  it.each([
    [{ errcode: 'M_FORBIDDEN', httpStatus: 403 }, { kind: 'badCredentials' }],
    [{ errcode: 'M_USER_DEACTIVATED', httpStatus: 403 }, { kind: 'userDeactivated' }],
    [
      { errcode: 'M_LIMIT_EXCEEDED', httpStatus: 429, data: { retry_after_ms: 2500 } },
      { kind: 'rateLimited', seconds: 3 },
    ],
    [
      { name: 'ConnectionError', message: 'fetch failed' },
      { kind: 'unreachable', url },
    ],
    [{ httpStatus: 404 }, { kind: 'notMatrix', url }],
    [{ httpStatus: 500 }, { kind: 'serverError', status: 500 }],
    [new Error('boom'), { kind: 'unknown', detail: 'boom' }],
  ])('maps %j', (err, expected) => {
    expect(classifyLoginFailure(err, url)).toEqual(expected);
  });
});

describe('probeHomeserver', () => {
  const respond = (status: number, body: string): typeof fetch =>
    (async () => new Response(body, { status })) as typeof fetch;

  it('accepts a Matrix versions document', async () => {
    expect(await probeHomeserver('http://hs', respond(200, '{"versions":["v1.11"]}'))).toBeNull();
  });
  it('reports a web server that is not Matrix', async () => {
    expect(await probeHomeserver('http://hs', respond(200, '<html>'))).toEqual({
      kind: 'notMatrix',
      url: 'http://hs',
    });
    expect(await probeHomeserver('http://hs', respond(404, 'no'))).toEqual({
      kind: 'notMatrix',
      url: 'http://hs',
    });
  });
  it('reports a server that is down', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    expect(await probeHomeserver('http://hs', down)).toEqual({
      kind: 'unreachable',
      url: 'http://hs',
    });
    expect(await probeHomeserver('http://hs', respond(502, ''))).toEqual({
      kind: 'unreachable',
      url: 'http://hs',
    });
  });
});
