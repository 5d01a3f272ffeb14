import { unitsWithRole } from '../../../shared/org/org-view';
import { useAppStore } from '../store/store-context';

/**
 * Whether the signed-in user is a unit admin of some unit they can see, e.g. to show the admin entry
 * of the navigation only to them. Display only: the server and the org agent enforce the rights.
 */
export function useIsUnitAdmin(): boolean {
  return useAppStore((s) => unitsWithRole(s.org, s.userId, 'unit_admin').length > 0);
}
