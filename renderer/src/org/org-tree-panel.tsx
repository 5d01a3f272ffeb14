import { useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { ancestorCodes } from '../../../shared/org/org-tree';
import type { OrgTree } from '../../../shared/org/org-tree';
import type { UnitUnread } from '../../../shared/org/unread-rollup';

/** Props of {@link OrgTreePanel}. */
export interface OrgTreePanelProps {
  tree: OrgTree;
  /** Unread counts per unit (own and subtree). */
  unread: ReadonlyMap<string, UnitUnread>;
  selected: string | null;
  onSelect(code: string): void;
}

/**
 * The org tree (province → city → county → department), expandable, with each node's unread count
 * over its subtree. Reusable wherever a unit is picked.
 */
export function OrgTreePanel({ tree, unread, selected, onSelect }: OrgTreePanelProps) {
  const { t } = useTranslation();
  // Roots start open, and so does the way down to the selected unit.
  const [open, setOpen] = useState<ReadonlySet<string>>(
    () => new Set([...tree.roots, ...(selected ? ancestorCodes(tree, selected) : [])]),
  );
  const toggle = (code: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(code)) next.delete(code);
      else next.add(code);
      return next;
    });

  // Indented by depth below the first unit shown, not below the province: a county user's tree
  // starts at the left edge.
  const renderNode = (code: string, level = 0) => {
    const node = tree.byCode.get(code);
    if (!node) return null;
    const hasChildren = node.children.length > 0;
    const expanded = open.has(code);
    const total = unread.get(code)?.total ?? 0;
    return (
      <li
        key={code}
        role="treeitem"
        aria-expanded={hasChildren ? expanded : undefined}
        aria-selected={selected === code}
      >
        <div
          className={selected === code ? 'org-node selected' : 'org-node'}
          style={{ '--level': level } as CSSProperties}
        >
          <button
            type="button"
            className="org-toggle"
            aria-label={expanded ? t('org.collapse') : t('org.expand')}
            disabled={!hasChildren}
            onClick={() => toggle(code)}
          >
            {hasChildren ? (expanded ? '▾' : '▸') : ''}
          </button>
          <button
            type="button"
            className="org-name"
            data-testid={`org-node-${code}`}
            onClick={() => onSelect(code)}
          >
            <span>{node.unit.name}</span>
            <span className="org-level">{t(`org.level.${node.unit.level}`)}</span>
          </button>
          {total > 0 && (
            <span
              className="badge"
              data-testid={`org-unread-${code}`}
              title={t('org.unreadTitle', { count: total })}
            >
              {total}
            </span>
          )}
        </div>
        {hasChildren && expanded && (
          <ul role="group">{node.children.map((child) => renderNode(child, level + 1))}</ul>
        )}
      </li>
    );
  };

  return (
    <nav className="org-tree" aria-label={t('org.treeLabel')} data-testid="org-tree">
      {tree.roots.length === 0 ? (
        <p className="org-empty">{t('org.noUnits')}</p>
      ) : (
        <ul role="tree">{tree.roots.map((root) => renderNode(root))}</ul>
      )}
    </nav>
  );
}
