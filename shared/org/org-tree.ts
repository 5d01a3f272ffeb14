/**
 * Builds the org tree from unit records (as read from the `cn.hongyan.unit` state of joined Spaces or
 * from a spec) and aggregates values over subtrees, e.g. member counts or acknowledgment totals per
 * unit for the directory and dashboards.
 */
import type { SpecUnit } from './spec-types';
import { UNIT_LEVELS } from './types';
import type { OrgUnit, UnitLevel } from './types';

/** One unit in the tree. */
export interface OrgTreeNode {
  unit: OrgUnit;
  /** Code of the parent node; undefined for a root (including a unit whose parent is not visible). */
  parentCode?: string;
  /** Child codes: administrative units first by level, then by code; departments last. */
  children: string[];
  /** 0 for a root. */
  depth: number;
}

/** The whole tree. Build with {@link buildOrgTree}. */
export interface OrgTree {
  /** Root codes, sorted. */
  roots: string[];
  byCode: ReadonlyMap<string, OrgTreeNode>;
  /** Codes in pre-order: parents before children, siblings in `children` order. */
  preorder: string[];
  /**
   * Units shown as roots because their parent is not among the records (a user sees only the spaces
   * they joined), and units dropped because their parents form a cycle. Nothing disappears silently.
   */
  detached: { code: string; reason: 'unknown-parent' | 'cycle' | 'duplicate' }[];
}

const levelRank = (level: UnitLevel): number => UNIT_LEVELS.indexOf(level);
const compareCodes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The unit records of an org spec's units, as {@link buildOrgTree} takes them: the one mapping from
 * a spec (provisioning, admin requests, benchmarks) to the tree the app builds from Space state.
 */
export function unitRecordsOfSpec(units: readonly SpecUnit[]): OrgUnit[] {
  return units.map((u) => ({
    code: u.code,
    name: u.name,
    level: u.level,
    ...(u.parent ? { parentCode: u.parent } : {}),
  }));
}

/**
 * Builds the tree. Tolerates imperfect input: the first of duplicate codes wins, a unit with an
 * unknown parent becomes a root, and units whose parent chain loops are left out.
 *
 * @param units - Unit records in any order.
 */
export function buildOrgTree(units: Iterable<OrgUnit>): OrgTree {
  const detached: OrgTree['detached'] = [];
  const byCode = new Map<string, OrgTreeNode>();
  for (const unit of units) {
    if (byCode.has(unit.code)) detached.push({ code: unit.code, reason: 'duplicate' });
    else byCode.set(unit.code, { unit, children: [], depth: 0 });
  }
  const roots: string[] = [];
  for (const node of byCode.values()) {
    const parent = node.unit.parentCode;
    if (parent !== undefined && byCode.has(parent)) {
      node.parentCode = parent;
      byCode.get(parent)?.children.push(node.unit.code);
    } else {
      if (parent !== undefined) detached.push({ code: node.unit.code, reason: 'unknown-parent' });
      roots.push(node.unit.code);
    }
  }
  const order = (a: string, b: string): number => {
    const ua = byCode.get(a)?.unit;
    const ub = byCode.get(b)?.unit;
    const ra = ua ? levelRank(ua.level) : 0;
    const rb = ub ? levelRank(ub.level) : 0;
    return ra - rb || compareCodes(a, b);
  };
  roots.sort(order);
  for (const node of byCode.values()) node.children.sort(order);

  // Iterative pre-order so that broken, deep input cannot overflow the stack.
  const preorder: string[] = [];
  const stack = [...roots].reverse().map((code) => ({ code, depth: 0 }));
  while (stack.length > 0) {
    const { code, depth } = stack.pop() as { code: string; depth: number };
    const node = byCode.get(code);
    if (!node) continue;
    node.depth = depth;
    preorder.push(code);
    for (let i = node.children.length - 1; i >= 0; i -= 1)
      stack.push({ code: node.children[i] as string, depth: depth + 1 });
  }
  // Whatever the walk from the roots never reached hangs off a parent cycle.
  if (preorder.length < byCode.size) {
    const reached = new Set(preorder);
    for (const code of [...byCode.keys()]) {
      if (reached.has(code)) continue;
      detached.push({ code, reason: 'cycle' });
      byCode.delete(code);
    }
  }
  return { roots, byCode, preorder, detached };
}

/** Ancestors of a unit, nearest first. Empty for a root or an unknown code. */
export function ancestorCodes(tree: OrgTree, code: string): string[] {
  const out: string[] = [];
  for (
    let p = tree.byCode.get(code)?.parentCode;
    p !== undefined;
    p = tree.byCode.get(p)?.parentCode
  )
    out.push(p);
  return out;
}

/** The unit and all units below it, in pre-order. Empty for an unknown code. */
export function subtreeCodes(tree: OrgTree, code: string): string[] {
  if (!tree.byCode.has(code)) return [];
  const out: string[] = [];
  const stack = [code];
  while (stack.length > 0) {
    const c = stack.pop() as string;
    out.push(c);
    const children = tree.byCode.get(c)?.children ?? [];
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i] as string);
  }
  return out;
}

/** Units of one level inside a subtree (or the whole tree), e.g. "all counties under city X". */
export function unitsAtLevel(tree: OrgTree, opts: { level: UnitLevel; under?: string }): string[] {
  const scope = opts.under === undefined ? tree.preorder : subtreeCodes(tree, opts.under);
  return scope.filter((c) => tree.byCode.get(c)?.unit.level === opts.level);
}

/** The path from a root down to the unit, e.g. for a breadcrumb 示范省 › 东湖市 › 青山县. */
export function pathToUnit(tree: OrgTree, code: string): OrgUnit[] {
  if (!tree.byCode.has(code)) return [];
  return [code, ...ancestorCodes(tree, code)]
    .reverse()
    .map((c) => tree.byCode.get(c)?.unit)
    .filter((u): u is OrgUnit => u !== undefined);
}

/**
 * Sums a value over every subtree in one post-order pass (O(units)).
 *
 * @param opts.valueOf - A unit's own value (e.g. its member count); 0 when omitted from the map.
 * @returns For each unit, its own value plus its descendants'.
 */
export function sumOverSubtrees(
  tree: OrgTree,
  opts: { valueOf: ReadonlyMap<string, number> },
): Map<string, number> {
  const totals = new Map<string, number>();
  for (let i = tree.preorder.length - 1; i >= 0; i -= 1) {
    const code = tree.preorder[i] as string;
    const node = tree.byCode.get(code);
    let total = opts.valueOf.get(code) ?? 0;
    for (const child of node?.children ?? []) total += totals.get(child) ?? 0;
    totals.set(code, total);
  }
  return totals;
}

/** Counts items per unit, e.g. users by their unit code, as input to {@link sumOverSubtrees}. */
export function countByUnit<T>(
  items: Iterable<T>,
  unitOf: (item: T) => string,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const code = unitOf(item);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
}
