import { describe, expect, it } from 'vitest';
import { checkExternalUrl } from './external-link';

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
