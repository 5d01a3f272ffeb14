import { describe, expect, it } from 'vitest';
import { checkExternalUrl, linkDestination, linkHostMismatch } from './external-link';

describe('checkExternalUrl', () => {
  it.each(['https://www.gov.cn/', 'http://127.0.0.1:8080/x?y=1', 'mailto:office@example.gov.cn'])(
    'allows %s',
    (url) => {
      expect(checkExternalUrl(url).ok).toBe(true);
    },
  );
  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'vbscript:msgbox',
    'https://user:pw@example.org/',
    'not a url',
  ])('refuses %s', (url) => {
    expect(checkExternalUrl(url).ok).toBe(false);
  });
});

describe('link destinations', () => {
  it('shows the real host of a web link and the address of a mail link', () => {
    expect(linkDestination('https://www.gov.cn:8443/a?b=1')).toBe('www.gov.cn:8443');
    expect(linkDestination('https://例子.中国/')).toBe('xn--fsqu00a.xn--fiqs8s');
    expect(linkDestination('mailto:office@example.gov.cn')).toBe('office@example.gov.cn');
    expect(linkDestination('javascript:alert(1)')).toBeNull();
  });

  it.each([
    ['https://www.gov.cn', 'https://evil.example/login', 'www.gov.cn', 'evil.example'],
    ['www.gov.cn/notice', 'https://gov.cn.evil.example/', 'www.gov.cn', 'gov.cn.evil.example'],
    ['银行.中国', 'https://evil.example/', 'xn--jn2a72x.xn--fiqs8s', 'evil.example'],
  ])('flags text %s pointing at %s', (text, href, named, real) => {
    expect(linkHostMismatch(text, href)).toEqual({ named, real });
  });

  it.each([
    ['政府网', 'https://evil.example/'],
    ['https://www.gov.cn/', 'https://gov.cn/x'],
    ['GOV.CN', 'https://www.gov.cn/'],
    ['office@example.gov.cn', 'mailto:office@example.gov.cn'],
    ['v1.2', 'https://evil.example/'],
  ])('lets text %s with %s through without asking', (text, href) => {
    expect(linkHostMismatch(text, href)).toBeNull();
  });
});
