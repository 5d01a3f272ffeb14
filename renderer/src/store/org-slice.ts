import type { StateCreator } from 'zustand';
import type { OrgView } from '../../../shared/org/org-view';
import type { AppState } from './app-store';

/** The organisation as the signed-in user sees it (plain data derived from joined rooms' state). */
export interface OrgSlice {
  /** Null until the first sync has been read. */
  org: OrgView | null;
  /** Display names of the people in unit Spaces, by user ID (for the directory). */
  orgNames: Record<string, string>;
  setOrg(org: OrgView, names?: Record<string, string>): void;
  clearOrg(): void;
}

export const createOrgSlice: StateCreator<AppState, [], [], OrgSlice> = (set) => ({
  org: null,
  orgNames: {},
  setOrg: (org, names) => set(names ? { org, orgNames: names } : { org }),
  clearOrg: () => set({ org: null, orgNames: {} }),
});
