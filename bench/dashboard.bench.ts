/**
 * Dashboard benchmark: aggregate the read/acknowledgment state of 10,000 recipients of one
 * circular across a synthetic province (1 province, 13 cities, 130 counties: 144 notice rooms) and
 * roll it up the org tree. Target (docs/circulars.md, design brief): ≤ 50 ms. The baseline, measured
 * in the same run, is a plain loop that only counts the already-computed statuses per unit — the
 * floor any dashboard must pay to touch 10,000 entries.
 *
 * Run alone with `npx tsx bench/dashboard.bench.ts`.
 */
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { OrgUnit } from '../shared/org/types';
import { ACK_EVENT } from '../shared/matrix-types';
import type {
  AckEventInput,
  AggregateInput,
  CircularCopyInput,
  MembershipChange,
  ReceiptInput,
  RecipientStatus,
} from '../shared/circular/aggregate';
import { aggregateCircular } from '../shared/circular/aggregate';
import { rollUpByUnit } from '../shared/circular/rollup';
import { buildUnitIndex } from '../shared/circular/unit-index';

/** Options of {@link runDashboardBench}. */
export interface DashboardBenchOptions {
  /** Where result lines go. */
  log: (line: string) => void;
  /** Recipients to simulate. Default 10,000. */
  recipients?: number;
  /** Timed runs. Default 60. */
  iterations?: number;
}

/** Figures of one benchmark run, in milliseconds. */
export interface DashboardBenchResult {
  recipients: number;
  medianMs: number;
  p95Ms: number;
  baselineMedianMs: number;
  targetMs: number;
  withinTarget: boolean;
}

const TARGET_MS = 50;
const CIRCULAR_ID = '0b6f3c2e-8d4a-4f7e-9a51-2c3d4e5f6a7b';
/** Content digest the acks carry (the aggregation compares it; its value does not matter here). */
const DIGEST = 'a'.repeat(64);
const ISSUER = '@issuer:bench.example.cn';
const SENT = Date.UTC(2025, 5, 1, 1, 0);
const HOUR = 3600_000;

/** Small seeded PRNG (mulberry32): the same data on every run, so runs compare. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 1 province, 13 cities, 10 counties under each city. */
function syntheticProvince(): OrgUnit[] {
  const units: OrgUnit[] = [{ code: '990000', name: '基准省', level: 'province' }];
  for (let c = 1; c <= 13; c++) {
    const city = `99${String(c).padStart(2, '0')}00`;
    units.push({ code: city, name: `基准市${c}`, level: 'city', parentCode: '990000' });
    for (let k = 1; k <= 10; k++) {
      units.push({
        code: `99${String(c).padStart(2, '0')}${String(k).padStart(2, '0')}`,
        name: `基准县${c}-${k}`,
        level: 'county',
        parentCode: city,
      });
    }
  }
  return units;
}

/**
 * One circular sent to every unit's notice room; recipients spread over the rooms, with a mix of
 * unread, read and acknowledged users, late joiners, leavers, duplicate and invalid acks.
 */
function syntheticInput(units: readonly OrgUnit[], recipients: number): AggregateInput {
  const random = prng(20250601);
  const copies: CircularCopyInput[] = [];
  const acks: AckEventInput[] = [];
  const perRoom = new Map<string, string[]>();
  units.forEach((u) => perRoom.set(u.code, []));
  for (let i = 0; i < recipients; i++) {
    perRoom.get(units[i % units.length]?.code ?? '')?.push(`@user${i}:bench.example.cn`);
  }
  for (const unit of units) {
    const roomId = `!notice-${unit.code}:bench.example.cn`;
    const users = perRoom.get(unit.code) ?? [];
    const eventOrder = new Map<string, number>();
    for (let e = 0; e < 40; e++) eventOrder.set(`$${unit.code}-e${e}`, e);
    const circ = `$${unit.code}-e20`;
    const memberships: MembershipChange[] = [{ userId: ISSUER, membership: 'join', index: 0 }];
    const receipts: ReceiptInput[] = [];
    let ackIndex = 40;
    const ackOf = (sender: string, relatesTo: string, ts: number, note?: string): void => {
      const eventId = `$${unit.code}-ack${ackIndex}`;
      eventOrder.set(eventId, ackIndex++);
      acks.push({
        eventId,
        roomId,
        sender,
        ts,
        encrypted: true,
        content: {
          'm.relates_to': { rel_type: 'm.reference', event_id: relatesTo },
          [ACK_EVENT]: { circularId: CIRCULAR_ID, contentSha256: DIGEST, note },
        },
      });
    };
    users.forEach((userId, n) => {
      memberships.push({ userId, membership: 'join', index: 1 });
      if (random() < 0.03) memberships.push({ userId, membership: 'leave', index: 30 }); // left after the send
      const pointer = Math.floor(random() * 40); // receipts before, at and after the circular (e20)
      receipts.push({ userId, eventId: `$${unit.code}-e${pointer}`, ts: SENT + pointer * 60_000 });
      if (random() < 0.5) {
        const wrongEvent = random() < 0.01;
        ackOf(
          userId,
          wrongEvent ? `$${unit.code}-e3` : circ,
          SENT + Math.floor(random() * 72) * HOUR,
          '已收到',
        );
        if (random() < 0.04) ackOf(userId, circ, SENT + 80 * HOUR); // duplicate
      }
      if (n % 50 === 0) {
        // A late joiner: not a recipient, and their ack does not count.
        const late = `@late-${userId.slice(1)}`;
        memberships.push({ userId: late, membership: 'join', index: 25 });
        receipts.push({ userId: late, eventId: `$${unit.code}-e39`, ts: SENT + 39 * 60_000 });
        ackOf(late, circ, SENT + 30 * HOUR);
      }
    });
    copies.push({
      roomId,
      unitCode: unit.code,
      eventId: circ,
      senderId: ISSUER,
      eventOrder,
      memberships,
      receipts,
    });
  }
  return {
    circular: {
      id: CIRCULAR_ID,
      contentSha256: DIGEST,
      ackRequired: true,
      ackDeadline: SENT + 48 * HOUR,
    },
    copies,
    acks,
    now: SENT + 60 * HOUR,
  };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** The baseline: count the computed statuses per unit with a plain loop and a map. */
function plainCount(recipients: readonly RecipientStatus[]): Map<string, number[]> {
  const counts = new Map<string, number[]>();
  for (const r of recipients) {
    let c = counts.get(r.unitCode);
    if (c === undefined) counts.set(r.unitCode, (c = [0, 0, 0, 0]));
    c[r.status === 'unread' ? 0 : r.status === 'read' ? 1 : 2]! += 1;
    if (r.overdue) c[3]! += 1;
  }
  return counts;
}

const fmt = (ms: number): string => ms.toFixed(ms < 10 ? 2 : 1);

/** Runs the dashboard benchmark and logs its figures next to the target and the baseline. */
export async function runDashboardBench(
  options: DashboardBenchOptions,
): Promise<DashboardBenchResult> {
  const recipientsWanted = options.recipients ?? 10_000;
  const iterations = options.iterations ?? 60;
  const units = syntheticProvince();
  const input = syntheticInput(units, recipientsWanted);

  const run = () => {
    const aggregate = aggregateCircular(input);
    const rollUp = rollUpByUnit(buildUnitIndex(units), aggregate.recipients);
    return { aggregate, rollUp };
  };
  // Warm up the JIT so the figures describe a dashboard that is already open.
  let last = run();
  for (let i = 0; i < 5; i++) last = run();

  const times: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    last = run();
    const t1 = performance.now();
    plainCount(last.aggregate.recipients);
    const t2 = performance.now();
    times.push(t1 - t0);
    baseline.push(t2 - t1);
  }
  times.sort((a, b) => a - b);
  baseline.sort((a, b) => a - b);

  const { totals } = last.aggregate;
  const province = last.rollUp.byUnit.get('990000')?.subtree;
  if (province === undefined || province.total !== totals.total) {
    throw new Error(
      `roll-up disagrees with aggregation: province ${province?.total ?? 'missing'} vs ${totals.total}`,
    );
  }
  const result: DashboardBenchResult = {
    recipients: totals.total,
    medianMs: quantile(times, 0.5),
    p95Ms: quantile(times, 0.95),
    baselineMedianMs: quantile(baseline, 0.5),
    targetMs: TARGET_MS,
    withinTarget: quantile(times, 0.95) <= TARGET_MS,
  };
  options.log(
    `dashboard aggregation (${totals.total.toLocaleString('en-US')} recipients in ${units.length} rooms, ${input.acks.length.toLocaleString('en-US')} acks): ` +
      `median ${fmt(result.medianMs)} ms, p95 ${fmt(result.p95Ms)} ms — target ≤ ${TARGET_MS} ms; ` +
      `baseline (plain count loop) ${fmt(result.baselineMedianMs)} ms`,
  );
  options.log(
    `  statuses: ${totals.unread} unread, ${totals.read} read, ${totals.acknowledged} acknowledged, ${totals.overdue} overdue; ` +
      `${last.aggregate.invalidAcks.length} invalid and ${last.aggregate.duplicateAcks.length} duplicate acks ignored — ${result.withinTarget ? 'PASS' : 'FAIL'}`,
  );
  // Timings on a shared machine mean little without its load; print it so a slow run can be judged.
  options.log(
    `  machine load average ${loadavg()[0]?.toFixed(1) ?? '?'} on ${availableParallelism()} cores`,
  );
  return result;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await runDashboardBench({ log: (line) => console.log(line) });
  process.exitCode = result.withinTarget ? 0 : 1;
}
