/**
 * Provisioning benchmark: apply a synthetic province (1 province, 13 cities, 130 counties, 1,300
 * departments ≈ 1,450 units; 10,000 users) to a fresh Synapse, then re-apply it, and build the org
 * tree a province-wide user sees. Targets (design brief): apply ≤ 20 min on 2 cores; re-apply makes
 * zero writes in ≤ 60 s. The baseline, measured in the same run, is the floor: the same number of
 * bare requests (empty rooms, admin joins, accounts) with no provisioning logic around them.
 *
 *   npx tsx bench/provisioning.bench.ts [scale]     e.g. 0.1 for a tenth of the province
 *
 * SQLite by default, so it runs on a fresh machine; HONGYAN_BENCH_DATABASE_URL (e.g.
 * postgres://postgres@127.0.0.1:5432/postgres) runs it on PostgreSQL, as a production server would.
 *
 * Accounts are created with the harness's low bcrypt cost (4): password hashing at Synapse's default
 * cost 12 would add ≈ 0.25 CPU-s per account, whatever the provisioning tool does.
 */
import { readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyOrgSpec, planOrgSpec } from '../admin/apply';
import { DEFAULT_APPLY_CONCURRENCY } from '../admin/executor';
import { withSnapshotCacheFile } from '../admin/snapshot-cache';
import { cpuBetween, sampleCpu, serverProcesses } from './load/process-cpu';
import {
  costOf,
  databaseCpuSeconds,
  measureFloor,
  plannedCounts,
  synapseCpuSeconds,
} from './provisioning-floor';
import { summarizeAccessLog } from '../homeserver/access-log';
import { startTestHomeserver } from '../homeserver/testing';
import { buildDesiredState } from '../shared/org/desired-state';
import { buildOrgTree, countByUnit, sumOverSubtrees } from '../shared/org/org-tree';
import { isAboutNewObjects } from '../shared/org/plan-types';
import type { OrgSpec } from '../shared/org/spec-types';
import {
  addSyntheticCounty,
  generateSyntheticProvince,
  scaledProvinceParams,
} from '../shared/org/synthetic-spec';

/** Options of {@link runProvisioningBench}. */
export interface ProvisioningBenchOptions {
  /** Size relative to the full synthetic province (1 = 1,444 units, 10,000 users). */
  scale: number;
  /** Where result lines go. */
  log: (line: string) => void;
}

/** Figures of one run. */
export interface ProvisioningBenchResult {
  units: number;
  users: number;
  applySeconds: number;
  applyWrites: number;
  reapplySeconds: number;
  reapplyWrites: number;
  /** One county (30 units, 200 users) added to the provisioned province: apply time and writes. */
  incrementalSeconds: number;
  incrementalWrites: number;
  floorSeconds: number;
  treeBuildMs: number;
  /** `provisioning: 1444 units, 10000 users, 2903 s, 1.49x cpu bound, 0.39 cpu-s/user`. */
  summaryLine: string;
}

const APPLY_TARGET_S = 20 * 60;
const REAPPLY_TARGET_S = 60;
const INCREMENTAL_TARGET_S = 60;
/** Apply wall time over the server's CPU spread over the cores it may use (issue #15). */
const BOUND_RATIO_TARGET = 1.2;
/** Server CPU per user of the full province before the event diet (PostgreSQL, 4 December 2026). */
const BASELINE_CPU_PER_USER = 0.39;
/** Generic workers of the worker topology in the benchmark (HONGYAN_BENCH_GENERIC_WORKERS). */
const BENCH_GENERIC_WORKERS = Number(process.env.HONGYAN_BENCH_GENERIC_WORKERS ?? 1);
/** The county a province gains in the incremental step: itself, 29 departments, 200 staff. */
const ADDED_COUNTY = { departments: 29, users: 200, usernamePrefix: 'n' };

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * The requests Synapse logged since `fromByte` of its log, by endpoint: the most costly `top`, with
 * their count per provisioned user and their CPU and database transactions per request.
 */
function requestProfileLines(logFile: string, fromByte: number, users: number, top = 8): string[] {
  let text: string;
  try {
    text = readFileSync(logFile).subarray(fromByte).toString('utf8');
  } catch {
    return []; // No single log (the worker topology): the figure is extra information only.
  }
  return summarizeAccessLog(text)
    .slice(0, top)
    .map(
      (e) =>
        `    ${e.endpoint}: ${e.count} (${(e.count / users).toFixed(2)} per user), ${((e.cpuSeconds * 1000) / e.count).toFixed(1)} ms CPU and ${(e.transactions / e.count).toFixed(1)} transactions each`,
    );
}

const sizeOf = (file: string): number => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/** A CPU reading of the server: Synapse and, on PostgreSQL, its database backends. */
type CpuReading = { synapse?: number; db?: number };

/**
 * Adds one county to the province just provisioned and applies the change: the plan must list only
 * the new objects, and the apply must take ≤ 60 s. Printed beside two baselines from the same run:
 * the re-apply with nothing to change (the snapshot read every apply pays) and the same number of
 * writes at the first apply's pace.
 */
async function measureIncrementalCounty(opts: {
  conn: { homeserverUrl: string; adminToken: string; concurrency: number };
  spec: OrgSpec;
  serverName: string;
  adminUserId: string;
  reading: () => CpuReading;
  cpuText: (from: CpuReading, to: CpuReading) => string;
  log: (line: string) => void;
  baseline: { reapplyMs: number; applyMs: number; applyWrites: number };
  /** Rooms of the full province over the rooms provisioned in this run. */
  roomScale: number;
  /** The snapshot cache file the commands share. */
  snapshotCacheFile: string;
}): Promise<{ applySeconds: number; writes: number }> {
  const { conn, spec, log, baseline } = opts;
  const grown = addSyntheticCounty(spec, ADDED_COUNTY);
  const desiredOf = (s: OrgSpec): ReturnType<typeof buildDesiredState> =>
    buildDesiredState({ spec: s, serverName: opts.serverName, adminUserId: opts.adminUserId });
  const before = desiredOf(spec);
  const after = desiredOf(grown);
  const newRooms = new Set([...after.rooms.keys()].filter((a) => !before.rooms.has(a)));
  const newUsers = new Set([...after.users.keys()].filter((u) => !before.users.has(u)));

  const planStart = performance.now();
  const planned = await withSnapshotCacheFile(opts.snapshotCacheFile, (snapshotCache) =>
    planOrgSpec({ ...conn, spec: grown, snapshotCache }),
  );
  const { plan } = planned.result;
  const planMs = performance.now() - planStart;
  log(`  plan's ${planned.cache.report()}`);
  const elsewhere = plan.actions.filter((a) => !isAboutNewObjects(a, newRooms, newUsers)).length;
  log(
    `incremental: one county added (${grown.units.length - spec.units.length} units, ${newRooms.size} rooms, ${newUsers.size} users): plan ${seconds(planMs)}, ${plan.actions.length} actions, ${elsewhere} outside the new objects — target 0 ${elsewhere === 0 ? 'OK' : 'MISSED'}`,
  );

  const cpuBefore = opts.reading();
  const started = performance.now();
  const county = await withSnapshotCacheFile(opts.snapshotCacheFile, (snapshotCache) =>
    applyOrgSpec({ ...conn, spec: grown, snapshotCache }),
  );
  const applied = county.result;
  const applyMs = performance.now() - started;
  log(`  apply's ${county.cache.report()}`);
  const atFirstPace = (baseline.applyMs * applied.writes) / Math.max(baseline.applyWrites, 1);
  // The rooms whose summary is unchanged come from the snapshot cache; the room list and the user
  // list are still read whole, and they grow with the province. Projected as if the whole snapshot
  // were read, which overstates a smaller run's figure.
  const projectedMs = applyMs + baseline.reapplyMs * (opts.roomScale - 1);
  log(
    `incremental apply: ${seconds(applyMs)}, ${applied.writes} writes${opts.cpuText(cpuBefore, opts.reading())} — target ≤ ${INCREMENTAL_TARGET_S} s` +
      (opts.roomScale > 1
        ? ` (projected to the full province's snapshot: ≈ ${seconds(projectedMs)})`
        : '') +
      ` ${projectedMs <= INCREMENTAL_TARGET_S * 1000 ? 'OK' : 'MISSED'}; baseline in this run: re-apply with no change ${seconds(baseline.reapplyMs)}, the same writes at the first apply's pace ${seconds(atFirstPace)}`,
  );
  return { applySeconds: applyMs / 1000, writes: applied.writes };
}

/** Runs the benchmark and logs its figures beside the targets. */
export async function runProvisioningBench(
  opts: ProvisioningBenchOptions,
): Promise<ProvisioningBenchResult> {
  const { log } = opts;
  const spec = generateSyntheticProvince(scaledProvinceParams(opts.scale));
  log(
    `synthetic province at scale ${opts.scale}: ${spec.units.length} units, ${spec.users.length} users; load average ${loadavg()[0]?.toFixed(1)}`,
  );

  // The org tree a province-wide user builds from the unit records of every Space they joined.
  // Pure and cheap, so always measured on the full province whatever the scale.
  const fullSpec = opts.scale === 1 ? spec : generateSyntheticProvince(scaledProvinceParams(1));
  const records = fullSpec.units.map((u) => ({
    code: u.code,
    name: u.name,
    level: u.level,
    ...(u.parent ? { parentCode: u.parent } : {}),
  }));
  const perUnit = countByUnit(fullSpec.users, (u) => u.unit);
  const runs: number[] = [];
  for (let i = 0; i < 30; i += 1) {
    const started = performance.now();
    const tree = buildOrgTree(records);
    sumOverSubtrees(tree, { valueOf: perUnit });
    runs.push(performance.now() - started);
  }
  const treeBuildMs = runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? 0;
  log(
    `org tree build + member roll-up for a province-wide user (${records.length} units, ${fullSpec.users.length} users): median ${treeBuildMs.toFixed(2)} ms`,
  );

  const workers = process.env.HONGYAN_BENCH_TOPOLOGY === 'workers';
  const databaseUrl = workers ? undefined : process.env.HONGYAN_BENCH_DATABASE_URL;
  log(
    workers
      ? `topology: workers (main, ${BENCH_GENERIC_WORKERS} generic workers, event persister, federation sender, Redis, the kit's own PostgreSQL, nginx)`
      : databaseUrl
        ? 'database: PostgreSQL (a fresh database on HONGYAN_BENCH_DATABASE_URL), as in production'
        : 'database: SQLite (set HONGYAN_BENCH_DATABASE_URL=postgres://… or HONGYAN_BENCH_TOPOLOGY=workers for the production-like figure)',
  );
  const hs = await startTestHomeserver({
    bcryptRounds: 4,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(workers ? { topology: 'workers', genericWorkers: BENCH_GENERIC_WORKERS } : {}),
  });
  try {
    const concurrency = Number(process.env.HONGYAN_BENCH_CONCURRENCY ?? DEFAULT_APPLY_CONCURRENCY);
    const conn = { homeserverUrl: hs.baseUrl, adminToken: hs.admin.accessToken, concurrency };
    log(`requests in flight: ${concurrency} (HONGYAN_BENCH_CONCURRENCY)`);
    // The floor first, on the fresh server, so it sees about the same machine load as the apply.
    const floor = await measureFloor(hs);
    const ms = (v: number): string => `${(v * 1000).toFixed(0)} ms`;
    log(
      `bare request cost, wall (Synapse CPU): room ${ms(floor.wall.rooms)} (${floor.cpu ? ms(floor.cpu.rooms) : '?'}), admin join ${ms(floor.wall.joins)} (${floor.cpu ? ms(floor.cpu.joins) : '?'}), account ${ms(floor.wall.users)} (${floor.cpu ? ms(floor.cpu.users) : '?'}) at concurrency 4`,
    );

    const processes = workers ? serverProcesses(hs) : undefined;
    const perProcessBefore = processes ? sampleCpu(processes) : undefined;
    const reading = (): CpuReading => {
      if (processes) {
        // Every process of the topology with its children; PostgreSQL's tree is the database.
        const cpu = sampleCpu(processes);
        const db = cpu.get('postgres') ?? 0;
        return { synapse: [...cpu.values()].reduce((a, b) => a + b, 0) - db, db };
      }
      const synapse = synapseCpuSeconds(hs.dataDir);
      const db = databaseCpuSeconds(hs.dataDir);
      return {
        ...(synapse === undefined ? {} : { synapse }),
        ...(db === undefined ? {} : { db }),
      };
    };
    /** ", Synapse CPU n s[, PostgreSQL CPU m s]" between two readings, or '' without /proc. */
    const cpuText = (from: CpuReading, to: CpuReading): string =>
      (from.synapse !== undefined && to.synapse !== undefined
        ? `, Synapse CPU ${(to.synapse - from.synapse).toFixed(0)} s`
        : '') +
      (from.db !== undefined && to.db !== undefined
        ? `, PostgreSQL CPU ${(to.db - from.db).toFixed(0)} s`
        : '');
    const before = reading();
    let phase = '';
    let phaseStart = performance.now();
    let phaseCpu = before;
    const endPhase = (): void => {
      const now = reading();
      log(`  ${phase}: ${seconds(performance.now() - phaseStart)}${cpuText(phaseCpu, now)}`);
      phaseCpu = now;
    };
    const logFile = path.join(hs.dataDir, 'homeserver.log');
    const logStart = workers ? undefined : sizeOf(logFile);
    const snapshotCacheFile = path.join(hs.dataDir, 'org-snapshot.json');
    const started = performance.now();
    const { result: applied } = await withSnapshotCacheFile(snapshotCacheFile, (snapshotCache) =>
      applyOrgSpec({
        ...conn,
        spec,
        snapshotCache,
        onProgress: (p) => {
          if (p.phase === phase) return;
          if (phase) endPhase();
          phase = p.phase;
          phaseStart = performance.now();
        },
      }),
    );
    const applyMs = performance.now() - started;
    endPhase();
    const after = reading();
    if (processes && perProcessBefore) {
      const used = cpuBetween(perProcessBefore, sampleCpu(processes));
      log(
        `  server CPU by process: ${[...used].map(([name, cpu]) => `${name} ${cpu.toFixed(0)} s`).join(', ')}`,
      );
    }
    const applyCpu =
      before.synapse !== undefined && after.synapse !== undefined
        ? after.synapse - before.synapse
        : undefined;
    const s = applied.summary;
    log(
      `apply: ${seconds(applyMs)}, ${applied.writes} writes (${s['create-room'] ?? 0} rooms, ${s.join ?? 0} joins, ${s['create-user'] ?? 0} users)${cpuText(before, after)}`,
    );
    if (logStart !== undefined) {
      const lines = requestProfileLines(logFile, logStart, spec.users.length);
      if (lines.length > 0) {
        log(
          '  requests of the apply by endpoint (Synapse access log; CPU inside the request only, event persistence runs outside it):',
        );
        for (const line of lines) log(line);
      }
    }

    await hs.settle(); // the worker topology: the re-apply reads on processes that must have caught up
    const reStart = performance.now();
    const reapplied = await withSnapshotCacheFile(snapshotCacheFile, (snapshotCache) =>
      applyOrgSpec({ ...conn, spec, snapshotCache }),
    );
    const again = reapplied.result;
    const reapplyMs = performance.now() - reStart;
    log(`  re-apply's ${reapplied.cache.report()}`);
    log(
      `re-apply: ${seconds(reapplyMs)}, ${again.writes} writes — target 0 writes, ≤ ${REAPPLY_TARGET_S} s ${again.writes === 0 && reapplyMs <= REAPPLY_TARGET_S * 1000 ? 'OK' : 'MISSED'}`,
    );

    await hs.settle();
    const incremental = await measureIncrementalCounty({
      conn,
      spec,
      serverName: hs.serverName,
      adminUserId: hs.admin.userId,
      reading,
      cpuText,
      log,
      baseline: { reapplyMs, applyMs, applyWrites: applied.writes },
      roomScale: (plannedCounts(fullSpec).rooms || 1) / (s['create-room'] || 1),
      snapshotCacheFile,
    });

    const counts = {
      rooms: s['create-room'] ?? 0,
      joins: s.join ?? 0,
      users: s['create-user'] ?? 0,
    };
    const floorSeconds = costOf(counts, floor.wall);
    const floorCpu = floor.cpu ? costOf(counts, floor.cpu) : undefined;
    log(
      `floor (the same ${counts.rooms} rooms, ${counts.joins} joins, ${counts.users} accounts as bare requests): ${floorSeconds.toFixed(1)} s wall, apply ${(applyMs / 1000 / floorSeconds).toFixed(2)}× that` +
        (floorCpu !== undefined && applyCpu !== undefined
          ? `; ${floorCpu.toFixed(0)} s Synapse CPU, apply ${(applyCpu / floorCpu).toFixed(2)}× that`
          : ''),
    );
    // A smaller run is projected to the full province through the floor: same ratio to the floor.
    const full = plannedCounts(fullSpec);
    const projectedMs =
      opts.scale < 1 ? (applyMs * costOf(full, floor.wall)) / floorSeconds : applyMs;
    const projectedCpu =
      floor.cpu && floorCpu !== undefined && applyCpu !== undefined
        ? (applyCpu * costOf(full, floor.cpu)) / floorCpu
        : undefined;
    const projected =
      opts.scale < 1
        ? ` (projected to the full province through the floor: ≈ ${seconds(projectedMs)} on this machine now` +
          (projectedCpu !== undefined
            ? `; ≈ ${seconds(projectedCpu * 1000)} of Synapse CPU, the time on an otherwise idle machine`
            : '') +
          ')'
        : '';
    log(
      `apply target ≤ ${APPLY_TARGET_S / 60} min${projected}: ${projectedMs <= APPLY_TARGET_S * 1000 ? 'OK' : 'MISSED'}`,
    );
    // The server's CPU bounds what any topology can reach on this machine: Synapse workers can
    // spread the work over every core, but not below the CPU the same events cost in total.
    // Workers need PostgreSQL: on SQLite, Synapse is one process and uses one core at most.
    const dbCpu =
      before.db !== undefined && after.db !== undefined ? after.db - before.db : undefined;
    const cores = dbCpu === undefined ? 1 : availableParallelism();
    const serverCpu = applyCpu === undefined ? undefined : applyCpu + (dbCpu ?? 0);
    // How close the apply came to the bound: 1× means every core the server may use was busy.
    const boundRatio = serverCpu === undefined ? undefined : applyMs / 1000 / (serverCpu / cores);
    const cpuPerUser = serverCpu === undefined ? undefined : serverCpu / spec.users.length;
    if (serverCpu !== undefined && applyCpu !== undefined && floor.cpu && floorCpu !== undefined) {
      const boundS = (serverCpu / cores) * (costOf(full, floor.cpu) / floorCpu);
      log(
        `server CPU of the apply: ${serverCpu.toFixed(0)} s (Synapse ${applyCpu.toFixed(0)} s` +
          (dbCpu === undefined ? '' : ` + PostgreSQL ${dbCpu.toFixed(0)} s`) +
          `); spread perfectly over ${dbCpu === undefined ? 'the one core a single Synapse process can use (SQLite allows no workers)' : `this machine's ${cores} cores (Synapse workers)`} the full province needs at least ≈ ${boundS.toFixed(0)} s, ` +
          `against the target's ${APPLY_TARGET_S} s: ${boundS <= APPLY_TARGET_S ? 'reachable with workers' : 'out of reach on this machine whatever the topology'}`,
      );
      log(
        `apply against that bound: ${seconds(applyMs)} wall ÷ (${serverCpu.toFixed(0)} CPU-s ÷ ${cores} cores) = ${boundRatio?.toFixed(2)}× — target ≤ ${BOUND_RATIO_TARGET}× ${(boundRatio ?? Infinity) <= BOUND_RATIO_TARGET ? 'OK' : 'MISSED'}; ` +
          `server CPU per user ${cpuPerUser?.toFixed(3)} CPU-s (full-province baseline ${BASELINE_CPU_PER_USER}, target ≤ ${(BASELINE_CPU_PER_USER / 2).toFixed(3)}` +
          (opts.scale < 1
            ? `; projected through the floor: ≈ ${((serverCpu * (costOf(full, floor.cpu) / floorCpu)) / fullSpec.users.length).toFixed(3)}`
            : '') +
          ')',
      );
    }
    const figure = (v: number | undefined, digits: number): string =>
      v === undefined ? 'n/a' : v.toFixed(digits);
    return {
      units: spec.units.length,
      users: spec.users.length,
      applySeconds: applyMs / 1000,
      applyWrites: applied.writes,
      reapplySeconds: reapplyMs / 1000,
      reapplyWrites: again.writes,
      incrementalSeconds: incremental.applySeconds,
      incrementalWrites: incremental.writes,
      floorSeconds,
      treeBuildMs,
      summaryLine: `provisioning: ${spec.units.length} units, ${spec.users.length} users, ${(applyMs / 1000).toFixed(0)} s, ${figure(boundRatio, 2)}x cpu bound, ${figure(cpuPerUser, 2)} cpu-s/user`,
    };
  } finally {
    await hs.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const scale = Number(process.argv[2] ?? process.env.HONGYAN_BENCH_SCALE ?? 1);
  const result = await runProvisioningBench({ scale, log: (line) => console.log(line) });
  console.log(result.summaryLine);
}
