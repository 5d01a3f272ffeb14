/**
 * Whether sanitized event HTML still shows something: text other than blanks, or an image. HTML
 * whose every element was removed by the sanitizer would otherwise draw an empty bubble.
 */
export function hasVisibleContent(sanitizedHtml: string): boolean {
  if (/<img\b/i.test(sanitizedHtml)) return true;
  const text = sanitizedHtml.replace(/<[^>]*>/g, '').replace(/&nbsp;|&#160;|\s/g, '');
  return text.length > 0;
}
