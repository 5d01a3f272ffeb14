/**
 * The fan-out of one circular to many rooms as a small, persisted state machine.
 *
 * Every room's send carries a transaction id derived only from the circular id and the room id.
 * The homeserver deduplicates sends by (device, transaction id), so retrying a room — after a
 * timeout, a crash, or a resumed plan — returns the original event instead of posting a second copy.
 * The plan is plain data: the app saves it after each step and resumes from it.
 */
import { CIRCULAR_ID_PATTERN } from './circular-schema';
import type { ParseError, ParseResult } from './parse-result';
import { issuesToErrors } from './parse-result';
import { residentsGroupCode } from './residents-group';
import { z } from './zod';

/** State of one room's send. */
export type FanOutEntryState =
  | { kind: 'pending' }
  | { kind: 'sent'; eventId: string; sentAt: number }
  | { kind: 'failed'; error: string; permanent: boolean };

/** One target room of a fan-out. */
export interface FanOutEntry {
  unitCode: string;
  roomId: string;
  /** Deterministic transaction id of this room's send (see {@link circularTxnId}). */
  txnId: string;
  state: FanOutEntryState;
  /** Send attempts that failed so far. */
  attempts: number;
}

/** A fan-out plan and its progress. Replace, never mutate: every operation returns a new plan. */
export interface FanOutPlan {
  version: 1;
  circularId: string;
  entries: readonly FanOutEntry[];
}

/**
 * The transaction id of the send of circular `circularId` into `roomId`. A circular id has no `:`,
 * so the id is unambiguous (room ids contain `:`); it is the same on every retry by construction.
 */
export function circularTxnId(circularId: string, roomId: string): string {
  return `hongyan.circular.${circularId}.${roomId}`;
}

/** Input of {@link planFanOut}. */
export interface PlanFanOutInput {
  circularId: string;
  /** Target unit codes, as resolved by `resolveTargets` (their order is the send order). */
  unitCodes: readonly string[];
  /** The notice room of each unit. */
  noticeRoomOf: ReadonlyMap<string, string>;
  /** Communities whose residents' notice room is targeted (see `residentsTargetCodes`), sent after the units. */
  residentsUnitCodes?: readonly string[];
  /** The residents' notice room of each community. */
  residentsRoomOf?: ReadonlyMap<string, string>;
}

/**
 * Plans a fan-out: one pending entry per target unit's notice room, then one per targeted
 * community's residents' notice room (filed under its residents' group code, see
 * residents-group.ts). Every unit without such a room, or sharing one, is an error.
 */
export function planFanOut(input: PlanFanOutInput): ParseResult<'plan', FanOutPlan> {
  const errors: ParseError[] = [];
  if (!CIRCULAR_ID_PATTERN.test(input.circularId))
    errors.push({ path: '/circularId', message: 'must be a UUID or ULID' });
  const wanted = [
    ...input.unitCodes.map((unitCode, i) => ({
      unitCode,
      entryCode: unitCode,
      roomId: input.noticeRoomOf.get(unitCode),
      path: `/unitCodes/${i}`,
      room: 'notice room',
    })),
    ...(input.residentsUnitCodes ?? []).map((unitCode, i) => ({
      unitCode,
      entryCode: residentsGroupCode(unitCode),
      roomId: input.residentsRoomOf?.get(unitCode),
      path: `/residentsUnitCodes/${i}`,
      room: "residents' notice room",
    })),
  ];
  const unitOfRoom = new Map<string, string>();
  const entries: FanOutEntry[] = [];
  for (const { unitCode, entryCode, roomId, path, room } of wanted) {
    if (roomId === undefined) {
      errors.push({ path, message: `unit "${unitCode}" has no ${room}` });
      continue;
    }
    const other = unitOfRoom.get(roomId);
    if (other !== undefined) {
      if (other !== entryCode)
        errors.push({
          path,
          message: `unit "${unitCode}" shares ${room} ${roomId} with unit "${other}"`,
        });
      continue;
    }
    unitOfRoom.set(roomId, entryCode);
    entries.push({
      unitCode: entryCode,
      roomId,
      txnId: circularTxnId(input.circularId, roomId),
      state: { kind: 'pending' },
      attempts: 0,
    });
  }
  if (entries.length === 0 && errors.length === 0)
    errors.push({ path: '/unitCodes', message: 'no target units' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, plan: { version: 1, circularId: input.circularId, entries } };
}

/** Options of {@link nextBatch}. */
export interface NextBatchOptions {
  /** Most entries to return (the caller's concurrency). */
  size: number;
  /** Failed entries with this many attempts are not retried. Default 5. */
  maxAttempts?: number;
}

const DEFAULT_MAX_ATTEMPTS = 5;

/** Whether an entry still needs sending under `maxAttempts`. */
function isOutstanding(e: FanOutEntry, maxAttempts: number): boolean {
  return (
    e.state.kind === 'pending' ||
    (e.state.kind === 'failed' && !e.state.permanent && e.attempts < maxAttempts)
  );
}

/** The next entries to send: pending ones first, then retryable failures, each in plan order. */
export function nextBatch(plan: FanOutPlan, options: NextBatchOptions): FanOutEntry[] {
  const max = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const pending = plan.entries.filter((e) => e.state.kind === 'pending');
  const retry = plan.entries.filter((e) => e.state.kind === 'failed' && isOutstanding(e, max));
  return [...pending, ...retry].slice(0, Math.max(0, options.size));
}

function updateEntry(
  plan: FanOutPlan,
  roomId: string,
  update: (e: FanOutEntry) => FanOutEntry,
): FanOutPlan {
  const i = plan.entries.findIndex((e) => e.roomId === roomId);
  const entry = plan.entries[i];
  if (entry === undefined) {
    throw new Error(`room ${roomId} is not part of the fan-out of circular ${plan.circularId}`);
  }
  const next = update(entry);
  if (next === entry) return plan;
  const entries = [...plan.entries];
  entries[i] = next;
  return { ...plan, entries };
}

/** Records a successful send. Recording the same room again keeps the first event id (a retried send returns the same event). */
export function markSent(
  plan: FanOutPlan,
  roomId: string,
  eventId: string,
  sentAt: number,
): FanOutPlan {
  return updateEntry(plan, roomId, (e) =>
    e.state.kind === 'sent' ? e : { ...e, state: { kind: 'sent', eventId, sentAt } },
  );
}

/** Options of {@link markFailed}. */
export interface MarkFailedOptions {
  /** What went wrong (no secrets: it is persisted and shown). */
  error: string;
  /** Retrying cannot help (e.g. `M_FORBIDDEN`): never returned by {@link nextBatch} again. */
  permanent?: boolean;
}

/** Records a failed attempt. A failure reported after the room was already sent is ignored. */
export function markFailed(
  plan: FanOutPlan,
  roomId: string,
  options: MarkFailedOptions,
): FanOutPlan {
  return updateEntry(plan, roomId, (e) =>
    e.state.kind === 'sent'
      ? e
      : {
          ...e,
          attempts: e.attempts + 1,
          state: { kind: 'failed', error: options.error, permanent: options.permanent === true },
        },
  );
}

/** Progress of a fan-out. */
export interface FanOutProgress {
  total: number;
  sent: number;
  pending: number;
  /** Failed but will be retried. */
  retrying: number;
  /** Failed for good (permanent, or out of attempts). */
  failed: number;
  /** Nothing left to send: every entry is sent or failed for good. */
  done: boolean;
}

/** Summarises a plan's progress. */
export function fanOutProgress(
  plan: FanOutPlan,
  maxAttempts: number = DEFAULT_MAX_ATTEMPTS,
): FanOutProgress {
  const p: FanOutProgress = {
    total: plan.entries.length,
    sent: 0,
    pending: 0,
    retrying: 0,
    failed: 0,
    done: false,
  };
  for (const e of plan.entries) {
    if (e.state.kind === 'sent') p.sent++;
    else if (e.state.kind === 'pending') p.pending++;
    else if (isOutstanding(e, maxAttempts)) p.retrying++;
    else p.failed++;
  }
  p.done = p.pending === 0 && p.retrying === 0;
  return p;
}

const stateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pending') }),
  z.object({
    kind: z.literal('sent'),
    eventId: z.string().regex(/^\$\S+$/),
    sentAt: z.int().nonnegative(),
  }),
  z.object({ kind: z.literal('failed'), error: z.string(), permanent: z.boolean() }),
]);

const planSchema = z.object({
  version: z.literal(1),
  circularId: z.string().regex(CIRCULAR_ID_PATTERN, { message: 'must be a UUID or ULID' }),
  entries: z.array(
    z.object({
      unitCode: z.string().min(1),
      roomId: z.string().regex(/^!\S+$/, { message: 'must be a Matrix room id (!…)' }),
      txnId: z.string(),
      state: stateSchema,
      attempts: z.int().nonnegative(),
    }),
  ),
});

/** Serialises a plan for persistence. */
export function serializeFanOutPlan(plan: FanOutPlan): string {
  return JSON.stringify(plan);
}

/**
 * Restores a persisted plan. Never throws: corrupt JSON, a wrong shape, a room listed twice or a
 * transaction id that does not match its room (which would break idempotency) are errors.
 */
export function parseFanOutPlan(json: string): ParseResult<'plan', FanOutPlan> {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    return {
      ok: false,
      errors: [{ path: '', message: `not JSON: ${e instanceof Error ? e.message : String(e)}` }],
    };
  }
  const r = planSchema.safeParse(data);
  if (!r.success) return { ok: false, errors: issuesToErrors(r.error.issues) };
  const errors: ParseError[] = [];
  const seen = new Set<string>();
  r.data.entries.forEach((e, i) => {
    if (seen.has(e.roomId))
      errors.push({ path: `/entries/${i}/roomId`, message: `room ${e.roomId} is listed twice` });
    seen.add(e.roomId);
    if (e.txnId !== circularTxnId(r.data.circularId, e.roomId)) {
      errors.push({
        path: `/entries/${i}/txnId`,
        message: 'does not match the circular id and room id',
      });
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, plan: r.data };
}
