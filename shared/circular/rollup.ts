/**
 * Dashboard figures per org unit, rolled up the hierarchy, plus filters and sort orders for the
 * recipient list. Built for 10,000 recipients in a few milliseconds: one pass over recipients into
 * a map, one pass over units in reverse pre-order to add each subtree into its parent.
 */
import type { RecipientStatus, RecipientStatusKind, StatusCounts } from './aggregate';
import { emptyCounts } from './aggregate';
import type { UnitIndex } from './unit-index';
import { isInSubtree } from './unit-index';

/** Percentages (0–100, one decimal) of a unit's subtree. */
export interface StatusRates {
  /** Read or acknowledged. */
  read: number;
  acknowledged: number;
  unread: number;
  overdue: number;
}

/** Figures of one unit. */
export interface UnitStats {
  unitCode: string;
  /** Recipients whose copy belongs to this unit itself. */
  own: StatusCounts;
  /** This unit and every unit below it. */
  subtree: StatusCounts;
  /** Percentages of {@link subtree}. */
  rates: StatusRates;
}

/** Result of {@link rollUpByUnit}. */
export interface UnitRollUp {
  /** Figures of every indexed unit, including those with no recipients. */
  byUnit: ReadonlyMap<string, UnitStats>;
  /** Recipients whose unit code is not in the index: counted here, never dropped. */
  unassigned: StatusCounts;
}

/** The part of a recipient's status the roll-up reads. */
export type RollUpRecipient = Pick<RecipientStatus, 'userId' | 'unitCode' | 'status' | 'overdue'>;

/** `part` as a percentage of `total`, rounded to one decimal; 0 when `total` is 0. */
export function percent(part: number, total: number): number {
  return total === 0 ? 0 : Math.round((part / total) * 1000) / 10;
}

function addInto(target: StatusCounts, source: StatusCounts, times = 1): void {
  target.total += times * source.total;
  target.unread += times * source.unread;
  target.read += times * source.read;
  target.acknowledged += times * source.acknowledged;
  target.overdue += times * source.overdue;
}

function countOne(counts: StatusCounts, r: RollUpRecipient, times = 1): void {
  counts.total += times;
  counts[r.status] += times;
  if (r.overdue) counts.overdue += times;
}

/**
 * How often adding subtrees up the tree would count a person in several units too many times, per
 * unit. At each unit the sum takes the person once from the unit itself (if it is one of theirs)
 * and once from each child whose subtree holds one of theirs; all but one of those are excess.
 */
function excessCounts(
  index: UnitIndex,
  unitsOf: ReadonlyMap<string, { recipient: RollUpRecipient; codes: string[] }>,
): Map<string, StatusCounts> {
  const excess = new Map<string, StatusCounts>();
  for (const { recipient, codes } of unitsOf.values()) {
    if (codes.length < 2) continue;
    const branches = new Map<string, number>();
    for (const code of codes) branches.set(code, (branches.get(code) ?? 0) + 1);
    for (const code of codes) {
      // Walk up until reaching a unit already on another of the person's paths.
      let child = code;
      for (let parent = index.byCode.get(child)?.parentCode; parent !== undefined;) {
        const known = branches.has(parent);
        branches.set(parent, (branches.get(parent) ?? 0) + 1);
        if (known) break;
        child = parent;
        parent = index.byCode.get(child)?.parentCode;
      }
    }
    for (const [code, n] of branches) {
      if (n < 2) continue;
      const counts = excess.get(code) ?? emptyCounts();
      countOne(counts, recipient, n - 1);
      excess.set(code, counts);
    }
  }
  return excess;
}

/**
 * Counts recipients per unit and rolls the counts up to every ancestor. A person is counted once
 * in each of their units (`own`), and once in every subtree holding any of them, so a parent's
 * figure is the number of distinct people below it and the root's matches the circular's totals.
 */
export function rollUpByUnit(index: UnitIndex, recipients: readonly RollUpRecipient[]): UnitRollUp {
  const byUnit = new Map<string, UnitStats>();
  for (const code of index.preorder) {
    byUnit.set(code, {
      unitCode: code,
      own: emptyCounts(),
      subtree: emptyCounts(),
      rates: { read: 0, acknowledged: 0, unread: 0, overdue: 0 },
    });
  }
  const unassigned = emptyCounts();
  const unitsOf = new Map<string, { recipient: RollUpRecipient; codes: string[] }>();
  for (const r of recipients) {
    const stats = byUnit.get(r.unitCode);
    if (stats === undefined) {
      countOne(unassigned, r);
      continue;
    }
    const seen = unitsOf.get(r.userId);
    if (seen === undefined) unitsOf.set(r.userId, { recipient: r, codes: [r.unitCode] });
    else if (seen.codes.includes(r.unitCode))
      continue; // twice in one unit: once
    else seen.codes.push(r.unitCode);
    countOne(stats.own, r);
  }
  const excess = excessCounts(index, unitsOf);
  // Reverse pre-order visits every child before its parent, so each subtree is complete when added up.
  for (const code of [...index.preorder].reverse()) {
    const stats = byUnit.get(code);
    if (stats === undefined) continue;
    addInto(stats.subtree, stats.own);
    const over = excess.get(code);
    if (over !== undefined) addInto(stats.subtree, over, -1);
    const s = stats.subtree;
    stats.rates = {
      read: percent(s.read + s.acknowledged, s.total),
      acknowledged: percent(s.acknowledged, s.total),
      unread: percent(s.unread, s.total),
      overdue: percent(s.overdue, s.total),
    };
    const parent = index.byCode.get(stats.unitCode)?.parentCode;
    const parentStats = parent === undefined ? undefined : byUnit.get(parent);
    if (parentStats !== undefined) addInto(parentStats.subtree, stats.subtree);
  }
  return { byUnit, unassigned };
}

/** Filter of {@link filterRecipients}; every given criterion must hold. */
export interface RecipientFilter {
  /** Only recipients of units in this unit's subtree. */
  subtreeOf?: string;
  /** Only these statuses. */
  statuses?: readonly RecipientStatusKind[];
  /** Only overdue recipients. */
  overdueOnly?: boolean;
}

/** Filters recipients in one pass, keeping their order. */
export function filterRecipients<T extends RollUpRecipient>(
  index: UnitIndex,
  recipients: readonly T[],
  filter: RecipientFilter,
): T[] {
  const statuses = filter.statuses === undefined ? undefined : new Set(filter.statuses);
  const root = filter.subtreeOf;
  return recipients.filter(
    (r) =>
      (root === undefined || isInSubtree(index, root, r.unitCode)) &&
      (statuses === undefined || statuses.has(r.status)) &&
      (filter.overdueOnly !== true || r.overdue),
  );
}

/** Keys the recipient list can be sorted by. */
export type RecipientSortKey = 'unit' | 'name' | 'status' | 'readAt' | 'ackedAt';

/** Options of {@link sortRecipients}. */
export interface RecipientSortOptions {
  key: RecipientSortKey;
  /** Default ascending. */
  direction?: 'asc' | 'desc';
  /** Display name of a user, for `name` and as the tie-breaker; the user id if absent. */
  nameOf?: (userId: string) => string | undefined;
}

const STATUS_RANK: Readonly<Record<RecipientStatusKind, number>> = {
  unread: 0,
  read: 1,
  acknowledged: 2,
};

/** Chinese names sort by pinyin under the zh collation, as people expect in a directory. */
const nameCollator = new Intl.Collator('zh-CN');

/**
 * Returns a sorted copy. Units sort in tree (pre-order) order; missing times sort last in either
 * direction, since "not yet" is never the most interesting entry; ties fall back to unit, then name.
 */
export function sortRecipients<T extends RecipientStatus>(
  index: UnitIndex,
  recipients: readonly T[],
  options: RecipientSortOptions,
): T[] {
  const sign = options.direction === 'desc' ? -1 : 1;
  const name = (r: T): string => options.nameOf?.(r.userId) ?? r.userId;
  const unitPos = (r: T): number => index.position.get(r.unitCode) ?? Number.MAX_SAFE_INTEGER;
  const tieBreak = (a: T, b: T): number =>
    unitPos(a) - unitPos(b) ||
    nameCollator.compare(name(a), name(b)) ||
    (a.userId < b.userId ? -1 : 1);
  const byTime =
    (field: 'readAt' | 'ackedAt') =>
    (a: T, b: T): number => {
      const x = a[field];
      const y = b[field];
      if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
      return sign * (x - y);
    };
  const primary: Record<RecipientSortKey, (a: T, b: T) => number> = {
    unit: (a, b) => sign * (unitPos(a) - unitPos(b)),
    name: (a, b) => sign * nameCollator.compare(name(a), name(b)),
    status: (a, b) => sign * (STATUS_RANK[a.status] - STATUS_RANK[b.status]),
    readAt: byTime('readAt'),
    ackedAt: byTime('ackedAt'),
  };
  const compare = primary[options.key];
  return [...recipients].sort((a, b) => compare(a, b) || tieBreak(a, b));
}

/** Keys unit figures can be sorted by. */
export type UnitSortKey = 'tree' | 'acknowledged' | 'read' | 'unread' | 'overdue' | 'total';

/**
 * Returns unit figures sorted by a rate (`acknowledged`, `read`, `unread`, `overdue`: by percentage),
 * by `total`, or in `tree` order; ties keep tree order.
 */
export function sortUnitStats(
  index: UnitIndex,
  stats: Iterable<UnitStats>,
  key: UnitSortKey,
  direction: 'asc' | 'desc' = 'asc',
): UnitStats[] {
  const sign = direction === 'desc' ? -1 : 1;
  const pos = (s: UnitStats): number => index.position.get(s.unitCode) ?? Number.MAX_SAFE_INTEGER;
  const value = (s: UnitStats): number =>
    key === 'tree' ? pos(s) : key === 'total' ? s.subtree.total : s.rates[key];
  return [...stats].sort((a, b) => sign * (value(a) - value(b)) || pos(a) - pos(b));
}
