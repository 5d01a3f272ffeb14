/**
 * The org directory (通讯录): people from the unit Spaces' member records, indexed for search by
 * name, full pinyin, pinyin initials (e.g. "zw" finds 张伟), unit and position.
 */
import { pinyin } from 'pinyin-pro';
import { buildOrgTree, pathToUnit, subtreeCodes } from './org-tree';
import type { OrgTree } from './org-tree';
import type { OrgView } from './org-view';
import type { UnitRole } from './types';

/** One person as the directory shows them. */
export interface DirectoryPerson {
  userId: string;
  displayName: string;
  unitCode: string;
  /** Unit names from the root down, e.g. ['示范省', '东湖市', '青山县']. */
  unitPath: string[];
  position?: string;
  roles: UnitRole[];
}

interface IndexedPerson {
  person: DirectoryPerson;
  name: string;
  pinyinFull: string;
  initials: string;
  unit: string;
  position: string;
  userId: string;
}

/** A search index over people. Build with {@link buildDirectoryIndex}. */
export interface DirectoryIndex {
  entries: IndexedPerson[];
}

const norm = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** Full pinyin and initials of a name; surnames read as surnames (单 → shan). */
export function namePinyin(name: string): { full: string; initials: string } {
  const opts = { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive' } as const;
  const syllables = pinyin(name, opts);
  const initials = pinyin(name, { ...opts, pattern: 'first' });
  return { full: norm(syllables.join('')), initials: norm(initials.join('')) };
}

/**
 * The directory's people, one per unit membership record, named by `names` (display names from the
 * Spaces' member events) or else by their user ID's localpart.
 */
export function directoryPeople(
  org: OrgView,
  names: Readonly<Record<string, string>>,
  tree: OrgTree = buildOrgTree(org.units),
): DirectoryPerson[] {
  return org.members.map((m) => ({
    userId: m.userId,
    displayName: names[m.userId] ?? m.userId.replace(/^@([^:]*):.*$/, '$1'),
    unitCode: m.unitCode,
    unitPath: pathToUnit(tree, m.unitCode).map((u) => u.name),
    ...(m.position ? { position: m.position } : {}),
    roles: m.roles,
  }));
}

/** Indexes people for {@link searchDirectory}; pinyin is computed once here, not per keystroke. */
export function buildDirectoryIndex(people: readonly DirectoryPerson[]): DirectoryIndex {
  return {
    entries: people.map((person) => {
      const { full, initials } = namePinyin(person.displayName);
      return {
        person,
        name: norm(person.displayName),
        pinyinFull: full,
        initials,
        unit: norm(person.unitPath.join('')),
        position: norm(person.position ?? ''),
        userId: norm(person.userId),
      };
    }),
  };
}

/** How well one query token matches an entry: lower is better, undefined is no match. */
function tokenScore(e: IndexedPerson, token: string): number | undefined {
  if (e.name === token) return 0;
  if (e.name.startsWith(token)) return 1;
  if (e.initials === token) return 2;
  if (e.initials.startsWith(token)) return 3;
  if (e.pinyinFull.startsWith(token)) return 4;
  if (e.name.includes(token)) return 5;
  if (e.pinyinFull.includes(token) || e.initials.includes(token)) return 6;
  if (e.position.includes(token)) return 7;
  if (e.unit.includes(token)) return 8;
  if (e.userId.includes(token)) return 9;
  return undefined;
}

/** Options of {@link searchDirectory}. */
export interface DirectorySearchOptions {
  /** Only people in this unit's subtree. */
  under?: { tree: OrgTree; code: string };
  /** At most this many results (default 200). */
  limit?: number;
}

/**
 * Finds people. Every whitespace-separated token must match the name (characters, full pinyin or
 * initials), the position, the unit path or the user ID, so "东湖 科长" narrows to section chiefs in
 * 东湖市. Best matches first, then by name. An empty query lists everyone in scope.
 */
export function searchDirectory(
  index: DirectoryIndex,
  query: string,
  opts: DirectorySearchOptions = {},
): DirectoryPerson[] {
  const tokens = query
    .split(/\s+/)
    .map(norm)
    .filter((t) => t !== '');
  const scope = opts.under ? new Set(subtreeCodes(opts.under.tree, opts.under.code)) : undefined;
  const hits: { person: DirectoryPerson; score: number }[] = [];
  for (const e of index.entries) {
    if (scope && !scope.has(e.person.unitCode)) continue;
    let score = 0;
    for (const token of tokens) {
      const s = tokenScore(e, token);
      if (s === undefined) {
        score = -1;
        break;
      }
      score += s;
    }
    if (score >= 0) hits.push({ person: e.person, score });
  }
  hits.sort(
    (a, b) =>
      a.score - b.score ||
      a.person.displayName.localeCompare(b.person.displayName, 'zh-CN') ||
      (a.person.userId < b.person.userId ? -1 : 1),
  );
  return hits.slice(0, opts.limit ?? 200).map((h) => h.person);
}
