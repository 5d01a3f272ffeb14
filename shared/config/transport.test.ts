import { describe, expect, it } from 'vitest';
import { insecureTransportReason, isLoopbackHost } from './transport';

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
