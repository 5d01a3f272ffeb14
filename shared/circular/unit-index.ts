/**
 * A read-only index over the org tree for circular targeting and dashboards: parent and children
 * lookups, a deterministic pre-order, and O(1) "is B inside A's subtree" tests (pre-order ranges).
 */
import type { OrgUnit } from '../org/types';

/** A problem with the org units that made the index leave a unit out or re-root it. */
export interface UnitIndexProblem {
  unitCode: string;
  message: string;
}

/** Index over a list of org units. Build with {@link buildUnitIndex}. */
export interface UnitIndex {
  /** Every indexed unit by code. */
  readonly byCode: ReadonlyMap<string, OrgUnit>;
  /** Child codes of each unit, sorted by code. */
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Unit codes in pre-order (parents before children, siblings by code): the canonical display order. */
  readonly preorder: readonly string[];
  /** Position of each unit in {@link preorder}. */
  readonly position: ReadonlyMap<string, number>;
  /** One past the position of the last unit in each unit's subtree; the subtree is `[position, subtreeEnd)`. */
  readonly subtreeEnd: ReadonlyMap<string, number>;
  /** Units that were left out or re-rooted, and why. */
  readonly problems: readonly UnitIndexProblem[];
}

const byCodeOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Builds the index. Tolerant of imperfect input: a duplicate code keeps the first unit, a unit
 * whose parent is unknown becomes a root, and units caught in a parent cycle are left out — each
 * reported in `problems` so nothing disappears silently.
 */
export function buildUnitIndex(units: readonly OrgUnit[]): UnitIndex {
  const problems: UnitIndexProblem[] = [];
  const byCode = new Map<string, OrgUnit>();
  for (const u of units) {
    if (byCode.has(u.code))
      problems.push({ unitCode: u.code, message: 'duplicate unit code; the first one is used' });
    else byCode.set(u.code, u);
  }

  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const u of byCode.values()) {
    children.set(u.code, []);
  }
  for (const u of byCode.values()) {
    if (u.parentCode === undefined) roots.push(u.code);
    else if (!byCode.has(u.parentCode)) {
      problems.push({
        unitCode: u.code,
        message: `parent unit "${u.parentCode}" is unknown; treated as a root`,
      });
      roots.push(u.code);
    } else children.get(u.parentCode)?.push(u.code);
  }
  for (const list of children.values()) list.sort(byCodeOrder);
  roots.sort(byCodeOrder);

  // Iterative DFS: real trees are shallow, but hostile or broken input must not overflow the stack.
  const preorder: string[] = [];
  const position = new Map<string, number>();
  const subtreeEnd = new Map<string, number>();
  const stack: { code: string; exit: boolean }[] = [];
  for (const code of [...roots].reverse()) stack.push({ code, exit: false });
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    if (frame.exit) {
      subtreeEnd.set(frame.code, preorder.length);
      continue;
    }
    position.set(frame.code, preorder.length);
    preorder.push(frame.code);
    stack.push({ code: frame.code, exit: true });
    const kids = children.get(frame.code) ?? [];
    for (const code of [...kids].reverse()) stack.push({ code, exit: false });
  }

  // Whatever the walk from the roots did not reach hangs off a parent cycle.
  for (const code of byCode.keys()) {
    if (!position.has(code))
      problems.push({
        unitCode: code,
        message: 'unit is in or under a cycle of parent codes; left out',
      });
  }
  for (const p of problems) {
    if (!position.has(p.unitCode)) {
      byCode.delete(p.unitCode);
      children.delete(p.unitCode);
    }
  }
  return { byCode, children, preorder, position, subtreeEnd, problems };
}

/** Whether `code` lies in the subtree rooted at `rootCode` (a unit is in its own subtree). */
export function isInSubtree(index: UnitIndex, rootCode: string, code: string): boolean {
  const start = index.position.get(rootCode);
  const pos = index.position.get(code);
  if (start === undefined || pos === undefined) return false;
  return pos >= start && pos < (index.subtreeEnd.get(rootCode) ?? start);
}

/** Codes of the subtree rooted at `rootCode`, in pre-order (empty if the unit is unknown). */
export function subtreeCodes(index: UnitIndex, rootCode: string): readonly string[] {
  const start = index.position.get(rootCode);
  if (start === undefined) return [];
  return index.preorder.slice(start, index.subtreeEnd.get(rootCode) ?? start);
}

/** Codes from `code`'s parent up to the root, nearest first. */
export function ancestorCodes(index: UnitIndex, code: string): string[] {
  const out: string[] = [];
  let parent = index.byCode.get(code)?.parentCode;
  while (parent !== undefined && index.byCode.has(parent) && out.length <= index.preorder.length) {
    out.push(parent);
    parent = index.byCode.get(parent)?.parentCode;
  }
  return out;
}
