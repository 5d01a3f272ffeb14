import { useSyncExternalStore } from 'react';

/** Where phone.css switches to the phone layout. */
export const PHONE_QUERY = '(max-width: 640px)';

/** Whether the phone layout applies now, following rotation and window resizes. */
export function usePhoneLayout(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = window.matchMedia?.(PHONE_QUERY);
      query?.addEventListener('change', onChange);
      return () => query?.removeEventListener('change', onChange);
    },
    () => window.matchMedia?.(PHONE_QUERY).matches ?? false,
  );
}
