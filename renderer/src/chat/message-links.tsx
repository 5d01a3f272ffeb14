import { useState, type FocusEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { linkDestination, linkHostMismatch } from '../platform/external-link';
import { useSession } from '../session/session-context';

/** The link under an event's target, if it is one the sanitizer left an href on. */
function linkAt(target: EventTarget | null): HTMLAnchorElement | null {
  const a = (target as Element | null)?.closest?.('a');
  return a instanceof HTMLAnchorElement && a.hasAttribute('href') ? a : null;
}

/**
 * Link behaviour of a message body: links open through the platform's checked path (never by
 * navigation); a link whose text names another host than the one it opens asks first; pointing at
 * or focusing a link shows where it really goes, so the keyboard user sees it too.
 */
export function useMessageLinks() {
  const { platform } = useSession();
  const { t } = useTranslation();
  const [destination, setDestination] = useState<string | null>(null);
  const onClick = (e: MouseEvent) => {
    const a = (e.target as Element).closest('a');
    if (!a) return;
    e.preventDefault();
    const href = a.getAttribute('href');
    if (!href) return;
    const mismatch = linkHostMismatch(a.textContent ?? '', href);
    if (mismatch && !window.confirm(t('chat.timeline.linkMismatch', mismatch))) return;
    void platform.openExternal(href).then((ok) => {
      if (!ok) window.alert(t('chat.timeline.openLinkFailed'));
    });
  };
  const show = (e: MouseEvent | FocusEvent) => {
    const a = linkAt(e.target);
    setDestination(a ? linkDestination(a.getAttribute('href') ?? '') : null);
  };
  const hide = () => setDestination(null);
  return {
    handlers: { onClick, onMouseOver: show, onFocus: show, onMouseLeave: hide, onBlur: hide },
    hint: destination ? (
      <div className="link-destination small" data-testid="link-destination" role="status">
        {t('chat.timeline.linkDestination', { host: destination })}
      </div>
    ) : null,
  };
}
