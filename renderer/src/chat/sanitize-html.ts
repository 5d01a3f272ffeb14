import DOMPurify, { type Config } from 'dompurify';
import { checkExternalUrl } from '../platform/external-link';

/**
 * The one place where HTML from events is cleaned. It follows the Matrix spec's list of tags and
 * attributes a client should allow in `formatted_body` and removes everything else:
 * no scripts, event handlers, `style`, iframes, forms, SVG/MathML, and no remote resources
 * (images must be `mxc://`, and are not loaded directly; see {@link MXC_IMAGE_ATTRIBUTE}).
 */

/** Tags the Matrix spec recommends clients allow (minus `mx-reply`, whose content is dropped). */
export const ALLOWED_TAGS = [
  'font',
  'del',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'p',
  'a',
  'ul',
  'ol',
  'sup',
  'sub',
  'li',
  'b',
  'i',
  'u',
  'strong',
  'em',
  's',
  'strike',
  'code',
  'hr',
  'br',
  'div',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'caption',
  'pre',
  'span',
  'img',
  'details',
  'summary',
] as const;

/** Attributes the spec allows, on any allowed tag (per-tag checks happen in the hook below). */
export const ALLOWED_ATTRIBUTES = [
  'data-mx-bg-color',
  'data-mx-color',
  'color',
  'data-mx-spoiler',
  'name',
  'target',
  'href',
  'width',
  'height',
  'alt',
  'title',
  'src',
  'start',
  'class',
  'data-mxc-src',
] as const;

/** An image's `mxc://` source is moved here; the app fetches it itself with authentication. */
export const MXC_IMAGE_ATTRIBUTE = 'data-mxc-src';
const COLOUR = /^#[0-9a-f]{6}$/i;

const CONFIG: Config = {
  ALLOWED_TAGS: [...ALLOWED_TAGS],
  ALLOWED_ATTR: [...ALLOWED_ATTRIBUTES],
  ALLOW_DATA_ATTR: false,
  // Validated by enforceAttributeRules instead (DOMPurify's URI check does not know mxc:).
  ADD_URI_SAFE_ATTR: [MXC_IMAGE_ATTRIBUTE],
  ALLOW_ARIA_ATTR: false,
  // mx-reply is a fallback for clients without reply support; the app renders replies itself.
  FORBID_CONTENTS: [
    'mx-reply',
    'script',
    'style',
    'template',
    'iframe',
    'object',
    'embed',
    'noscript',
    'svg',
    'math',
  ],
  KEEP_CONTENT: true,
  RETURN_TRUSTED_TYPE: false,
};

/** Per-attribute rules the plain allow-list cannot express. */
function enforceAttributeRules(node: Element): void {
  const tag = node.tagName.toLowerCase();
  for (const attr of [...node.attributes]) {
    const name = attr.name.toLowerCase();
    const value = attr.value;
    let keep = true;
    switch (name) {
      case 'href':
        // Exactly the links the opener would open: a link it refuses must not look clickable.
        keep = tag === 'a' && checkExternalUrl(value).ok;
        break;
      case 'src':
        keep = false;
        break;
      case MXC_IMAGE_ATTRIBUTE:
        keep = tag === 'img' && /^mxc:\/\/[\w.:-]+\/[\w-]+$/.test(value);
        break;
      case 'target':
        keep = false; // set below for links
        break;
      case 'name':
        keep = tag === 'a';
        break;
      case 'width':
      case 'height':
        keep = tag === 'img' && /^\d{1,4}$/.test(value);
        break;
      case 'alt':
      case 'title':
        keep = tag === 'img' || name === 'title';
        break;
      case 'start':
        keep = tag === 'ol' && /^\d{1,6}$/.test(value);
        break;
      case 'class':
        keep = tag === 'code' && /^language-[a-z0-9_+-]{1,32}$/i.test(value);
        break;
      case 'color':
        keep = tag === 'font' && COLOUR.test(value);
        break;
      case 'data-mx-color':
      case 'data-mx-bg-color':
        keep = (tag === 'font' || tag === 'span') && COLOUR.test(value);
        break;
      case 'data-mx-spoiler':
        keep = tag === 'span';
        break;
    }
    if (!keep) node.removeAttribute(attr.name);
  }
  if (tag === 'a' && node.hasAttribute('href')) {
    const checked = checkExternalUrl(node.getAttribute('href') ?? '');
    if (checked.ok) node.setAttribute('href', checked.url);
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
    // The hover text is the real destination, never a title the sender chose to imitate one.
    node.setAttribute('title', checked.ok ? checked.url : '');
  } else if (tag === 'a') {
    node.removeAttribute('title');
  }
}

/** A sanitizer bound to one window (the page, or jsdom in tests). */
export interface HtmlSanitizer {
  sanitize(html: string): string;
}

/** Creates the sanitizer for `win`. */
export function createHtmlSanitizer(win: Window & typeof globalThis): HtmlSanitizer {
  const purify = DOMPurify(win);
  // Runs before DOMPurify's own URI check (which does not know mxc:): an mxc:// image source is
  // kept only as data, any other source is dropped, so the browser never fetches an image itself.
  purify.addHook('beforeSanitizeAttributes', (node) => {
    if (node.nodeType !== 1) return;
    const el = node as Element;
    el.removeAttribute(MXC_IMAGE_ATTRIBUTE);
    const src = el.getAttribute('src')?.trim();
    if (el.tagName.toLowerCase() === 'img' && src?.toLowerCase().startsWith('mxc://'))
      el.setAttribute(MXC_IMAGE_ATTRIBUTE, src);
    el.removeAttribute('src');
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeType !== 1) return;
    const el = node as Element;
    enforceAttributeRules(el);
    // An image with nothing the app may load would show as a broken icon: keep only its alt text.
    if (el.tagName.toLowerCase() === 'img' && !el.hasAttribute(MXC_IMAGE_ATTRIBUTE)) {
      el.replaceWith(el.ownerDocument.createTextNode(el.getAttribute('alt') ?? ''));
    }
  });
  return { sanitize: (html: string) => purify.sanitize(html, CONFIG) as string };
}

let pageSanitizer: HtmlSanitizer | null = null;

/** Sanitizes event HTML with the page's window (created once). */
export function sanitizeEventHtml(html: string): string {
  pageSanitizer ??= createHtmlSanitizer(window);
  return pageSanitizer.sanitize(html);
}
