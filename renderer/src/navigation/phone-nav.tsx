import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { StrokeIcon } from '../components/nav-icons';
import { useAppStore, useAppStoreApi } from '../store/store-context';
import { isDeepPlace, placeOf, syncHistory } from './history-sync';

/** Keeps browser history in step with the signed-in app for as long as it is mounted. */
export function HistorySync() {
  const store = useAppStoreApi();
  useEffect(() => syncHistory(store, window), [store]);
  return null;
}

/** True when the user is inside a circular, dashboard or conversation (the phone shows a back arrow). */
export function useIsDeep(): boolean {
  return useAppStore((s) => isDeepPlace(placeOf(s)));
}

/**
 * The phone layout's back arrow in the top bar: the same as the phone's own back button, because it
 * walks the browser history that {@link HistorySync} writes. Hidden by CSS on wide screens.
 */
export function BackButton() {
  const { t } = useTranslation();
  const deep = useIsDeep();
  if (!deep) return null;
  return (
    <button
      type="button"
      className="phone-back"
      data-testid="phone-back"
      aria-label={t('nav.back')}
      onClick={() => window.history.back()}
    >
      <StrokeIcon paths={['M15 5l-7 7 7 7']} weight={2} />
    </button>
  );
}
