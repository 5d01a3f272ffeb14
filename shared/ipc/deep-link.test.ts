import { describe, expect, it } from 'vitest';
import { isDeepLink, looksLikeDeepLink, parseDeepLink } from './deep-link';

describe('parseDeepLink: valid links', () => {
  it.each([
    [
      'hongyan://sso-callback?loginToken=syl_AbC123_xyz',
      { kind: 'sso-callback', loginToken: 'syl_AbC123_xyz' },
    ],
    ['hongyan://sso-callback/?loginToken=abc', { kind: 'sso-callback', loginToken: 'abc' }],
    ['HONGYAN://room/!abc:example.gov.cn', { kind: 'room', roomId: '!abc:example.gov.cn' }],
    ['hongyan://room/%21abc%3Aexample.gov.cn', { kind: 'room', roomId: '!abc:example.gov.cn' }],
    ['hongyan://room/!abc:example.gov.cn/', { kind: 'room', roomId: '!abc:example.gov.cn' }],
    ['hongyan://room/!AbCdEfGh-_123', { kind: 'room', roomId: '!AbCdEfGh-_123' }],
    ['hongyan://room/!abc:127.0.0.1:8008', { kind: 'room', roomId: '!abc:127.0.0.1:8008' }],
    [
      'hongyan://circular/!abc:example.gov.cn/$Ev3nt-Id_x',
      { kind: 'circular', roomId: '!abc:example.gov.cn', eventId: '$Ev3nt-Id_x' },
    ],
    [
      'hongyan://circular/!abc:h.cn/%24evt',
      { kind: 'circular', roomId: '!abc:h.cn', eventId: '$evt' },
    ],
  ])('parses %s', (link, expected) => {
    expect(parseDeepLink(link)).toEqual({ ok: true, link: expected });
  });
});

describe('parseDeepLink: malformed links are refused', () => {
  const token = 'syl_SECRETTOKEN_abc';
  it.each([
    ['not a string', 42],
    ['empty', ''],
    ['other scheme', 'https://sso-callback?loginToken=x'],
    ['scheme without slashes', 'hongyan:room/!a:b'],
    ['unknown host', 'hongyan://settings/open'],
    ['host with different case', 'hongyan://ROOM/!a:b'],
    ['no loginToken', 'hongyan://sso-callback'],
    ['empty loginToken', 'hongyan://sso-callback?loginToken='],
    ['two parameters', `hongyan://sso-callback?loginToken=${token}&next=https://evil`],
    ['duplicate loginToken', `hongyan://sso-callback?loginToken=${token}&loginToken=other`],
    ['token with encoded chars', 'hongyan://sso-callback?loginToken=%3Cscript%3E'],
    ['token with a fragment', `hongyan://sso-callback?loginToken=${token}#frag`],
    ['sso-callback with a path', `hongyan://sso-callback/extra?loginToken=${token}`],
    ['credentials', `hongyan://user@room/!a:b`],
    ['room without ID', 'hongyan://room/'],
    ['room ID without sigil', 'hongyan://room/abc:example.org'],
    ['room ID with an event sigil', 'hongyan://room/$abc'],
    ['room with extra segment', 'hongyan://room/!a:b/extra'],
    ['room with a query', 'hongyan://room/!a:b?x=1'],
    ['room ID with encoded slash traversal', 'hongyan://room/%2e%2e%2f%2e%2e'],
    ['room ID with markup', 'hongyan://room/!%3Cimg%20src%3Dx%3E:b'],
    ['room ID with bad escape', 'hongyan://room/!%E0%A4%A:b'],
    ['empty segment', 'hongyan://circular//$e'],
    ['circular missing event', 'hongyan://circular/!a:b'],
    ['circular with bad event ID', 'hongyan://circular/!a:b/notanevent'],
    ['circular with extra segment', 'hongyan://circular/!a:b/$e/x'],
    ['spaces', 'hongyan://room/!a b:c'],
    ['newline', 'hongyan://room/!a:b\n'],
    ['non-ASCII', 'hongyan://room/!房间:b'],
    ['backslash', 'hongyan://room\\!a:b'],
    ['too long', `hongyan://room/!${'a'.repeat(3000)}`],
    ['room ID too long', `hongyan://room/!${'a'.repeat(300)}:b`],
  ])('refuses %s', (_label, link) => {
    const result = parseDeepLink(link);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason.length).toBeGreaterThan(0);
      // Refusal reasons are logged, so they must never echo a token.
      expect(result.reason).not.toContain('SECRETTOKEN');
    }
  });
});

describe('helpers', () => {
  it('looksLikeDeepLink picks our scheme out of argv', () => {
    expect(looksLikeDeepLink('hongyan://room/!a:b')).toBe(true);
    expect(looksLikeDeepLink('Hongyan://x')).toBe(true);
    expect(looksLikeDeepLink('--hongyan-plaintext-secrets')).toBe(false);
    expect(looksLikeDeepLink('/usr/bin/hongyan')).toBe(false);
  });

  it('isDeepLink validates objects crossing IPC', () => {
    expect(isDeepLink({ kind: 'room', roomId: '!a:b.c' })).toBe(true);
    expect(isDeepLink({ kind: 'circular', roomId: '!a:b.c', eventId: '$e' })).toBe(true);
    expect(isDeepLink({ kind: 'sso-callback', loginToken: 'abc' })).toBe(true);
    expect(isDeepLink({ kind: 'room', roomId: 'nope' })).toBe(false);
    expect(isDeepLink({ kind: 'open-file', path: '/etc/passwd' })).toBe(false);
    expect(isDeepLink(null)).toBe(false);
  });
});
