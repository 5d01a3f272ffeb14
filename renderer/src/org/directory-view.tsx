import { useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { searchDirectory } from '../../../shared/org/directory-search';
import { pathToUnit } from '../../../shared/org/org-tree';
import { unitsWithRole } from '../../../shared/org/org-view';
import { INVITING_ROLES } from '../../../shared/residents/invites';
import { InvitePanel } from '../residents/invite-panel';
import { useAppStore } from '../store/store-context';
import { OrgTreePanel } from './org-tree-panel';
import { PersonList } from './person-list';
import { UnitRoomsList } from './unit-rooms-list';
import { useOrgModel } from './use-org-model';
import './org.css';

/** The directory (通讯录): the org tree beside a people search and the selected unit's people and rooms. */
export function DirectoryView() {
  const { t } = useTranslation();
  const model = useOrgModel();
  const me = useAppStore((s) => s.userId);
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);
  const [picked, setPicked] = useState<string | null>(null);
  // Until the user picks a unit, show their own.
  const myUnit =
    model?.org.members.find((m) => m.userId === me)?.unitCode ?? model?.tree.roots[0] ?? null;
  const selected = picked ?? myUnit;

  const results = useMemo(
    () =>
      model && deferredQuery.trim() !== '' ? searchDirectory(model.index, deferredQuery) : null,
    [model, deferredQuery],
  );
  const unitPeople = useMemo(
    () =>
      model && selected
        ? model.people
            .filter((p) => p.unitCode === selected)
            .sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh-CN'))
        : [],
    [model, selected],
  );

  if (!model) {
    return (
      <main className="content" data-testid="directory-view">
        <p className="org-empty">{t('org.loading')}</p>
      </main>
    );
  }
  const unit = selected ? model.tree.byCode.get(selected)?.unit : undefined;
  const rooms = selected ? model.org.roomsByUnit[selected] : undefined;
  // Grid workers and unit admins of a community with residents' rooms may invite residents.
  const inviting =
    selected !== null &&
    rooms?.spaceId !== undefined &&
    rooms.residentsRoomId !== undefined &&
    INVITING_ROLES.some((role) => unitsWithRole(model.org, me, role).includes(selected));

  return (
    <main className="org-layout" data-testid="directory-view">
      <aside className="org-sidebar">
        <h2 className="org-sidebar-title">{t('org.treeTitle')}</h2>
        <OrgTreePanel
          key={model.tree.roots.join(',')}
          tree={model.tree}
          unread={model.unread}
          selected={selected}
          onSelect={(code) => {
            setPicked(code);
            setQuery('');
          }}
        />
      </aside>
      <section className="org-main">
        <div className="org-search">
          <input
            type="search"
            data-testid="directory-search"
            value={query}
            placeholder={t('org.searchPlaceholder')}
            aria-label={t('org.searchLabel')}
            onChange={(e) => setQuery(e.target.value)}
          />
        </div>
        {results ? (
          <>
            <h2 className="org-heading">{t('org.results', { count: results.length })}</h2>
            <PersonList people={results} testId="directory-results" />
          </>
        ) : unit && selected ? (
          <>
            <h2 className="org-heading" data-testid="unit-heading">
              {pathToUnit(model.tree, selected)
                .map((u) => u.name)
                .join(' › ')}
            </h2>
            <UnitRoomsList rooms={model.org.roomsByUnit[selected]} unitName={unit.name} />
            {inviting && rooms?.spaceId && (
              <InvitePanel key={rooms.spaceId} spaceId={rooms.spaceId} unitName={unit.name} />
            )}
            <h3 className="org-subheading">{t('org.people', { count: unitPeople.length })}</h3>
            <PersonList people={unitPeople} testId="unit-people" />
          </>
        ) : (
          <p className="org-empty">{t('org.noUnits')}</p>
        )}
      </section>
    </main>
  );
}
