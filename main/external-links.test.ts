import { describe, expect, it } from 'vitest';
import { checkExternalUrl, openExternalChecked } from './external-links';
import { createMemoryLogger } from './logger';
import { createFakeElectron } from './testing/fake-electron';

describe('external links', () => {
  const hostile: [string, unknown][] = [
    ['javascript URL', 'javascript:alert(1)'],
    ['javascript with case and whitespace', ' JaVaScRiPt:alert(1)'],
    ['javascript split by a newline', 'java\nscript:alert(1)'],
    ['javascript split by a tab', 'java\tscript:alert(1)'],
    ['file URL', 'file:///etc/passwd'],
    ['Windows file URL', 'file://C:/Windows/System32/calc.exe'],
    ['UNC file URL', 'file://attacker/share/payload.exe'],
    ['data URL', 'data:text/html,<script>alert(1)</script>'],
    ['vbscript', 'vbscript:msgbox(1)'],
    ['custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['smb', 'smb://attacker/share'],
    ['our own deep-link scheme', 'hongyan://room/!a:b'],
    ['the app scheme', 'app://hongyan/index.html'],
    ['credentials in URL', 'https://user:pass@example.org/'],
    ['host-confusion credentials', 'https://gov.cn@evil.example/'],
    ['username only', 'https://admin@example.org/'],
    ['relative URL', '/relative/path'],
    ['scheme-relative URL', '//evil.example/'],
    ['not a string', 42],
    ['null', null],
    ['empty', ''],
    ['NUL byte', 'https://example.org/\u0000'],
    ['mailto with attachment', 'mailto:a@example.org?attach=/etc/passwd'],
    ['mailto with an unknown parameter', 'mailto:a@example.org?x-evil=1'],
    ['huge URL', `https://example.org/${'a'.repeat(9000)}`],
  ];
  it.each(hostile)('refuses %s', (_label, url) => {
    const result = checkExternalUrl(url);
    expect(result.ok).toBe(false);
  });

  const allowed: [string, string, string][] = [
    ['https', 'https://www.gov.cn/zhengce/', 'https://www.gov.cn/zhengce/'],
    ['http', 'http://example.org', 'http://example.org/'],
    [
      'mailto',
      'mailto:office@example.gov.cn?subject=Hi',
      'mailto:office@example.gov.cn?subject=Hi',
    ],
    // Unicode hosts are opened in their punycode form, so a look-alike cannot pass as the real thing.
    ['Unicode host', 'https://аpple.com/', 'https://xn--pple-43d.com/'],
    ['Chinese domain', 'https://政府.cn/', 'https://xn--mxtq1m.cn/'],
    ['backslash normalised', 'https:\\\\example.org\\a', 'https://example.org/a'],
  ];
  it.each(allowed)('allows %s, normalised', (_label, url, expected) => {
    expect(checkExternalUrl(url)).toEqual({ ok: true, url: expected });
  });

  it('opens only checked links, and logs refusals without the link', async () => {
    const electron = createFakeElectron({ baseDir: '/tmp/none' });
    const logger = createMemoryLogger();
    await openExternalChecked({ electron, logger, url: 'https://example.org/?token=s3cret' });
    await openExternalChecked({ electron, logger, url: 'javascript:alert("s3cret")' });
    expect(electron.openedExternal).toEqual(['https://example.org/?token=s3cret']);
    expect(logger.text()).toContain('external link refused');
    expect(logger.text()).not.toContain('s3cret');
  });
});
