import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { buildDirectoryIndex, directoryPeople } from '../../../shared/org/directory-search';
import type { DirectoryIndex, DirectoryPerson } from '../../../shared/org/directory-search';
import { buildOrgTree } from '../../../shared/org/org-tree';
import type { OrgTree } from '../../../shared/org/org-tree';
import type { OrgView } from '../../../shared/org/org-view';
import { rollupUnread } from '../../../shared/org/unread-rollup';
import type { UnitUnread } from '../../../shared/org/unread-rollup';
import { useMatrixClient } from '../matrix/client-context';
import { useAppStore } from '../store/store-context';
import { loadSpaceMembers } from './bind-org';

/** What the org screens derive from the store: tree, people, search index and unread totals. */
export interface OrgModel {
  org: OrgView;
  tree: OrgTree;
  people: DirectoryPerson[];
  index: DirectoryIndex;
  unread: Map<string, UnitUnread>;
}

/** The org model, or null before the first sync. Recomputed only when its inputs change. */
export function useOrgModel(): OrgModel | null {
  const client = useMatrixClient();
  const org = useAppStore((s) => s.org);
  // Display names need the Spaces' member lists, which the client loads only on demand.
  useEffect(() => {
    if (org) loadSpaceMembers(client, org);
  }, [client, org]);
  const names = useAppStore((s) => s.orgNames);
  // Select plain numbers so unrelated room changes (e.g. a new message's timestamp) do not re-render.
  const unreadByRoom = useAppStore(
    useShallow((s) => {
      const out: Record<string, number> = {};
      if (!s.org) return out;
      for (const roomId of Object.keys(s.org.unitByRoom))
        out[roomId] = s.rooms[roomId]?.unread ?? 0;
      return out;
    }),
  );
  const base = useMemo(() => {
    if (!org) return null;
    const tree = buildOrgTree(org.units);
    const people = directoryPeople(org, names, tree);
    return { org, tree, people, index: buildDirectoryIndex(people) };
  }, [org, names]);
  return useMemo(
    () =>
      base && {
        ...base,
        unread: rollupUnread({ tree: base.tree, roomsByUnit: base.org.roomsByUnit, unreadByRoom }),
      },
    [base, unreadByRoom],
  );
}
