/**
 * Expands the issuer's targets (a unit, a subtree, or one level within a subtree) into the list of
 * target unit codes, and counts what a fan-out will reach before anything is sent.
 */
import type { ParseError, ParseResult } from './parse-result';
import type { CircularTarget } from './types';
import type { UnitIndex } from './unit-index';
import { subtreeCodes } from './unit-index';

/**
 * Expands targets into unit codes: deduplicated, in tree pre-order (so the same selection always
 * gives the same list, whatever order targets were picked in). Every unknown unit, missing level
 * or target that selects nothing is reported with its path (`/targets/<i>/…`); nothing is partly
 * resolved.
 */
export function resolveTargets(
  index: UnitIndex,
  targets: readonly CircularTarget[],
): ParseResult<'unitCodes', string[]> {
  const errors: ParseError[] = [];
  const selected = new Set<string>();
  if (targets.length === 0)
    errors.push({ path: '/targets', message: 'select at least one target unit' });
  targets.forEach((t, i) => {
    const unit = index.byCode.get(t.unitCode);
    if (unit === undefined) {
      errors.push({ path: `/targets/${i}/unitCode`, message: `unknown unit "${t.unitCode}"` });
      return;
    }
    if (t.scope === 'unit') {
      selected.add(t.unitCode);
      return;
    }
    // Residents' notice rooms are no unit's staff notice room: see residentsTargetCodes.
    if (t.scope === 'residents') return;
    const codes = subtreeCodes(index, t.unitCode);
    if (t.scope === 'subtree') {
      for (const c of codes) selected.add(c);
      return;
    }
    if (t.level === undefined) {
      errors.push({ path: `/targets/${i}/level`, message: 'is required when scope is "level"' });
      return;
    }
    let found = 0;
    for (const c of codes) {
      if (index.byCode.get(c)?.level === t.level) {
        selected.add(c);
        found++;
      }
    }
    if (found === 0)
      errors.push({
        path: `/targets/${i}/level`,
        message: `no unit of level "${t.level}" under ${unit.name} (${unit.code})`,
      });
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, unitCodes: index.preorder.filter((c) => selected.has(c)) };
}

/** The communities whose residents' notice room is targeted, deduplicated, in target order. */
export function residentsTargetCodes(targets: readonly CircularTarget[]): string[] {
  return [...new Set(targets.filter((t) => t.scope === 'residents').map((t) => t.unitCode))];
}

/**
 * Residents' targets the issuer may not send as the chosen issuing unit. Residents trust a circular
 * in their notice room only when it names their community as issuer (docs/trust.md), so each
 * residents' target must be the issuing unit itself.
 */
export function residentsTargetErrors(
  targets: readonly CircularTarget[],
  issuingUnitCode: string,
): ParseError[] {
  const errors: ParseError[] = [];
  targets.forEach((t, i) => {
    if (t.scope === 'residents' && t.unitCode !== issuingUnitCode)
      errors.push({
        path: `/targets/${i}/unitCode`,
        message: `residents of "${t.unitCode}" can only be sent circulars issued by that unit`,
      });
  });
  return errors;
}

/** Input of {@link countFanOut}. */
export interface CountFanOutInput {
  /** Target rooms with their unit (from the fan-out plan). */
  rooms: readonly { unitCode: string; roomId: string }[];
  /** Joined members of each room right now (what the circular will reach if sent now). */
  membersOf: ReadonlyMap<string, readonly string[]>;
  /** The issuer: never a recipient. */
  senderId: string;
  /** Users never counted, e.g. service bots. */
  excludedUserIds?: Iterable<string>;
}

/** Exact figures of a fan-out before sending. */
export interface FanOutCounts {
  units: number;
  rooms: number;
  /** Recipient copies: a user in two target rooms counts twice (they receive two copies). */
  recipients: number;
  /** Distinct users reached. */
  distinctUsers: number;
  /** Recipients of each room. */
  perRoom: ReadonlyMap<string, number>;
  /** Rooms whose member list was not supplied (counted as 0 recipients). */
  missingMembers: string[];
}

/** Counts units, rooms and recipients of a planned fan-out. */
export function countFanOut(input: CountFanOutInput): FanOutCounts {
  const excluded = new Set(input.excludedUserIds ?? []);
  const units = new Set<string>();
  const distinct = new Set<string>();
  const perRoom = new Map<string, number>();
  const missingMembers: string[] = [];
  let recipients = 0;
  for (const { unitCode, roomId } of input.rooms) {
    units.add(unitCode);
    if (perRoom.has(roomId)) continue;
    const members = input.membersOf.get(roomId);
    if (members === undefined) missingMembers.push(roomId);
    let n = 0;
    for (const userId of new Set(members ?? [])) {
      if (userId === input.senderId || excluded.has(userId)) continue;
      n++;
      distinct.add(userId);
    }
    perRoom.set(roomId, n);
    recipients += n;
  }
  return {
    units: units.size,
    rooms: perRoom.size,
    recipients,
    distinctUsers: distinct.size,
    perRoom,
    missingMembers,
  };
}
