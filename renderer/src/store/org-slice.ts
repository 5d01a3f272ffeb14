import type { StateCreator } from 'zustand';
import type { AdminRequestRecord } from '../../../shared/org/admin-requests';
import type { OrgView } from '../../../shared/org/org-view';
import type { AppState } from './app-store';

/** The organisation as the signed-in user sees it (plain data derived from joined rooms' state). */
export interface OrgSlice {
  /** Null until the first sync has been read. */
  org: OrgView | null;
  /** Display names of the people in unit Spaces, by user ID (for the directory). */
  orgNames: Record<string, string>;
  /** Unit-admin requests with the org agent's answers, by Space ID, newest first. */
  adminRequests: Record<string, AdminRequestRecord[]>;
  setOrg(org: OrgView, names?: Record<string, string>): void;
  setAdminRequests(spaceId: string, records: AdminRequestRecord[]): void;
  clearOrg(): void;
}

export const createOrgSlice: StateCreator<AppState, [], [], OrgSlice> = (set) => ({
  org: null,
  orgNames: {},
  adminRequests: {},
  setOrg: (org, names) => set(names ? { org, orgNames: names } : { org }),
  setAdminRequests: (spaceId, records) =>
    set((s) => ({ adminRequests: { ...s.adminRequests, [spaceId]: records } })),
  clearOrg: () => set({ org: null, orgNames: {}, adminRequests: {} }),
});
