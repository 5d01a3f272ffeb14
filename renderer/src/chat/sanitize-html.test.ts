// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createHtmlSanitizer, MXC_IMAGE_ATTRIBUTE } from './sanitize-html';

const { sanitize } = createHtmlSanitizer(window);

describe('event HTML sanitizer', () => {
  it('keeps the formatting the Matrix spec allows', () => {
    const html =
      '<p><strong>加急</strong> <em>通知</em></p><ul><li>一</li></ul><pre><code class="language-ts">x</code></pre><blockquote>引用</blockquote>';
    expect(sanitize(html)).toBe(html);
  });

  it.each([
    ['<script>window.__pwned=1</script>ok', 'ok'],
    ['<img src=x onerror="window.__pwned=1">', ''],
    ['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="JaVaScRiPt:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="data:text/html,<script>alert(1)</script>">x</a>', '<a>x</a>'],
    ['<iframe src="https://evil.example"></iframe>after', 'after'],
    ['<svg onload="alert(1)"><circle/></svg>t', 't'],
    ['<p style="background:url(https://evil.example/x)">t</p>', '<p>t</p>'],
    ['<style>body{background:url(https://evil.example)}</style>t', 't'],
    ['<div onclick="alert(1)">t</div>', '<div>t</div>'],
    ['<form action="https://evil.example"><input name=a></form>t', 't'],
    ['<object data="x"></object><embed src="x">t', 't'],
    ['<math><mi xlink:href="javascript:alert(1)">x</mi></math>t', 't'],
    ['<mx-reply><blockquote>quoted</blockquote></mx-reply>reply', 'reply'],
    [
      '<details open ontoggle="alert(1)"><summary>s</summary>d</details>',
      '<details><summary>s</summary>d</details>',
    ],
    ['<span data-mx-color="red;x">c</span>', '<span>c</span>'],
    ['<code class="hljs evil">x</code>', '<code>x</code>'],
  ])('neutralises %s', (input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });

  it('never lets a remote image through and keeps mxc:// only as data', () => {
    expect(sanitize('<img src="https://evil.example/track.png" alt="远程">')).toBe('远程');
    const out = sanitize('<img src="mxc://hongyan.test/abc" alt="图" width="20" height="ab">');
    expect(out).toContain(`${MXC_IMAGE_ATTRIBUTE}="mxc://hongyan.test/abc"`);
    expect(out).not.toContain(' src=');
    expect(out).not.toContain('height');
  });

  it('makes links open in a new context without opener or referrer', () => {
    expect(sanitize('<a href="https://www.gov.cn/" target="_self">政府网</a>')).toBe(
      '<a href="https://www.gov.cn/" target="_blank" rel="noopener noreferrer" title="https://www.gov.cn/">政府网</a>',
    );
  });

  it.each([
    'ftp://files.example/x',
    'magnet:?xt=urn:btih:abc',
    'file:///etc/passwd',
    'https://user:pw@www.gov.cn/',
    'zoommtg://join',
  ])('drops the link schemes and forms the opener refuses: %s', (href) => {
    expect(sanitize(`<a href="${href}">链接</a>`)).toBe('<a>链接</a>');
  });

  it('shows the real destination on hover, never a title the sender chose', () => {
    expect(
      sanitize('<a href="https://evil.example/x" title="https://www.gov.cn/">www.gov.cn</a>'),
    ).toBe(
      '<a href="https://evil.example/x" title="https://evil.example/x" target="_blank" rel="noopener noreferrer">www.gov.cn</a>',
    );
    expect(sanitize('<a title="https://www.gov.cn/">文字</a>')).toBe('<a>文字</a>');
  });

  it('keeps validated colours', () => {
    expect(sanitize('<font color="#ff0000" data-mx-color="#00ff00">x</font>')).toBe(
      '<font color="#ff0000" data-mx-color="#00ff00">x</font>',
    );
  });
});
