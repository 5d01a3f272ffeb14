/**
 * CPU seconds of server processes, from /proc: a process's own user and system time plus that of
 * its children, live (PostgreSQL's backends, nginx's worker) and exited (reaped into its
 * cumulative counters); and the load generator's own CPU and event-loop lateness.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import type { TestHomeserver } from '../../homeserver/testing';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name, which may itself hold spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (f && Number(f[1]) === pid) out.push(Number(entry));
  }
  return out;
}

/** CPU seconds used so far by `pid` and every process below it (0 when it is gone). */
export function treeCpuSeconds(pid: number): number {
  const f = statFields(pid);
  if (!f) return 0;
  // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
  const own = [11, 12, 13, 14].reduce((sum, i) => sum + Number(f[i] ?? 0), 0) / TICKS_PER_SECOND;
  return own + childrenOf(pid).reduce((sum, child) => sum + treeCpuSeconds(child), 0);
}

/** CPU seconds of each named process right now. */
export function sampleCpu(processes: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...processes].map(([name, pid]) => [name, treeCpuSeconds(pid)]));
}

/** CPU seconds each process used between two samples. */
export function cpuBetween(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): Map<string, number> {
  return new Map([...after].map(([name, s]) => [name, s - (before.get(name) ?? 0)]));
}

/** The server processes to measure: every process of the topology, or the one Synapse. */
export function serverProcesses(hs: TestHomeserver): Map<string, number> {
  if (hs.topology === 'workers')
    return new Map(hs.processes().flatMap((p) => (p.pid === undefined ? [] : [[p.name, p.pid]])));
  const pid = Number(readFileSync(path.join(hs.dataDir, 'synapse.pid'), 'utf8').trim());
  return new Map([['synapse', pid]]);
}

/**
 * The load generator's own cost over a window: its CPU seconds, and how late its event loop ran
 * (p95 and worst, ms). Every sighting is timestamped on that loop, so a late loop adds its lateness
 * to the measured delivery times; the server's own share is the rest.
 */
export interface HarnessFigures {
  cpuS: number;
  loopDelayP95Ms: number;
  loopDelayMaxMs: number;
}

const LOOP_SAMPLE_MS = 20;

/** Starts measuring this process; the function it returns stops and reports. */
export function measureHarness(): () => HarnessFigures {
  const cpuBefore = process.cpuUsage();
  const loop = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  loop.enable();
  return () => {
    loop.disable();
    const cpu = process.cpuUsage(cpuBefore);
    // The histogram is in nanoseconds, and each sample includes the sampling interval itself.
    const lateMs = (ns: number): number => Math.max(0, ns / 1e6 - LOOP_SAMPLE_MS);
    return {
      cpuS: (cpu.user + cpu.system) / 1e6,
      loopDelayP95Ms: lateMs(loop.percentile(95)),
      loopDelayMaxMs: lateMs(loop.max),
    };
  };
}
