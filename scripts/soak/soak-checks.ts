/**
 * The soak's checks, read back from the server after each step: each finding adds to the tally
 * and is logged with what and where.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { MatrixEvent } from 'matrix-js-sdk';
import type { FanOutStore } from '../../renderer/src/circulars/fan-out-store';
import type { PreparedCircular } from '../../renderer/src/circulars/issue';
import { findEventBackwards } from '../../renderer/src/circulars/send-raw';
import { aggregateUntil, copiesOf } from '../../renderer/src/circulars/testing/aggregate-until';
import { circularCopies, waitForCopy } from '../../testing/org-fixture';
import type { SoakOrg } from './soak-org';

/** Items lost (never arrived, or not counted) and duplicated (arrived or counted twice). */
export interface Tally {
  lost: number;
  duplicated: number;
}

interface CheckContext {
  org: SoakOrg;
  tally: Tally;
  log: (line: string) => void;
}

/** Counts occurrences: none is lost, more than one duplicated. */
function count(ctx: CheckContext, label: string, what: string, n: number): void {
  if (n === 0) {
    ctx.tally.lost += 1;
    ctx.log(`${label}: LOST ${what}`);
  } else if (n > 1) {
    ctx.tally.duplicated += n - 1;
    ctx.log(`${label}: DUPLICATED ${what} (${n} times)`);
  }
}

/** Every chat message of the burst exactly once in the room's history, decrypted by the recipient. */
export async function checkChat(
  ctx: CheckContext,
  bodies: readonly string[],
  since: number,
  label: string,
): Promise<void> {
  const reader = ctx.org.members[0];
  if (!reader) throw new Error('the soak org has no members');
  const seen = new Map<string, number>();
  let undecryptable = 0;
  await findEventBackwards({
    client: reader.client,
    roomId: ctx.org.chatRoomId,
    since: since - 60_000,
    maxPages: Math.ceil(bodies.length / 50) + 2,
    match: (e: MatrixEvent) => {
      if (e.isDecryptionFailure()) undecryptable += 1;
      const body = e.getContent().body;
      if (typeof body === 'string') seen.set(body, (seen.get(body) ?? 0) + 1);
      return false;
    },
  });
  if (undecryptable > 0) ctx.log(`${label}: ${undecryptable} chat events could not be decrypted`);
  for (const body of bodies) count(ctx, label, `chat message "${body}"`, seen.get(body) ?? 0);
}

/**
 * Every member received and decrypted the copy for their unit, and the room's history on the server
 * holds exactly one copy (read by that member; a copy whose key is still on its way is read again).
 */
export async function checkCopies(
  ctx: CheckContext,
  prepared: PreparedCircular,
  store: FanOutStore,
  label: string,
): Promise<void> {
  const id = prepared.circular.id;
  const record = await store.get(id);
  await Promise.all(
    ctx.org.members.map((m) =>
      waitForCopy(m.client, id).catch(() => count(ctx, label, `copy at ${m.username}`, 0)),
    ),
  );
  for (const entry of prepared.plan.entries) {
    const reader = ctx.org.memberOf(entry.unitCode) ?? ctx.org.issuer;
    let copies = await circularCopies(reader.client, entry.roomId, id);
    for (let tries = 0; copies.length === 0 && tries < 15; tries += 1) {
      await sleep(1000);
      copies = await circularCopies(reader.client, entry.roomId, id);
    }
    count(ctx, label, `copy for ${entry.unitCode}`, copies.length);
    const state = record?.plan.entries.find((e) => e.roomId === entry.roomId)?.state;
    if (copies.length > 0 && (state?.kind !== 'sent' || !copies.includes(state.eventId)))
      ctx.log(`${label}: the fan-out record of ${entry.unitCode} does not name its copy`);
  }
}

/** Every member's ack counted once on the issuer's dashboard, none twice. */
export async function checkAcks(
  ctx: CheckContext,
  prepared: PreparedCircular,
  store: FanOutStore,
  label: string,
): Promise<void> {
  const record = await store.get(prepared.circular.id);
  if (!record) throw new Error(`${label}: the fan-out record is gone`);
  const expected = ctx.org.members.length;
  const agg = await aggregateUntil(
    ctx.org.issuer.client,
    prepared.circular,
    copiesOf(record),
    (a) => a.totals.acknowledged >= expected,
  );
  const missing = expected - agg.totals.acknowledged;
  if (missing > 0) {
    ctx.tally.lost += missing;
    ctx.log(`${label}: LOST ${missing} of ${expected} acks`);
  }
  if (agg.duplicateAcks.length > 0) {
    ctx.tally.duplicated += agg.duplicateAcks.length;
    ctx.log(`${label}: DUPLICATED acks: ${JSON.stringify(agg.duplicateAcks)}`);
  }
}
