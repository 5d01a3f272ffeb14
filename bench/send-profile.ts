/**
 * Where a timed window's time goes: every HTTP request the process makes (grouped by endpoint),
 * the process's own CPU (the client: SDK and Rust crypto) and the homeserver's CPU (Linux /proc).
 * Requests are seen by wrapping the global `fetch` that matrix-js-sdk uses; only the window's own
 * requests are recorded, so nothing else may run meanwhile. With HONGYAN_BENCH_CPU_PROFILE=<file>
 * the client's CPU profile of the window is written there too (open it in Chrome DevTools).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { cpus } from 'node:os';
import { synapseCpuSeconds } from './provisioning-floor';

interface Call {
  kind: string;
  start: number;
  end: number;
}

/** One endpoint's share of the window. */
export interface EndpointFigures {
  kind: string;
  calls: number;
  /** Sum of the calls' durations, ms. */
  totalMs: number;
  /** Time at least one call of this kind was in flight, ms. */
  wallMs: number;
  /** Most calls of this kind in flight at once. */
  maxInFlight: number;
  /** First call's start and last call's end, ms after the window opened. */
  fromMs: number;
  toMs: number;
}

/** A window's profile. */
export interface SendProfile {
  wallMs: number;
  endpoints: EndpointFigures[];
  /** Time some request was in flight, ms; the rest of the window the client computed alone. */
  anyRequestMs: number;
  clientCpuMs: number;
  serverCpuMs: number | undefined;
}

/** `/_matrix/client/v3/keys/claim` → `keys/claim`; `/sendToDevice/<type>/<txn>` → `sendToDevice`. */
function kindOf(url: string, method: string): string {
  const path = new URL(url).pathname.replace(/^\/_matrix\/client\/(v3|r0|unstable)\//, '');
  if (path.startsWith('sendToDevice/')) return 'sendToDevice';
  if (path.startsWith('rooms/')) return `${method} rooms/…/${path.split('/')[2] ?? ''}`;
  return `${method} ${path.split('/').slice(0, 2).join('/')}`;
}

function union(intervals: { start: number; end: number }[]): { wall: number; max: number } {
  const points = intervals.flatMap((c) => [
    { t: c.start, d: 1 },
    { t: c.end, d: -1 },
  ]);
  points.sort((a, b) => a.t - b.t || a.d - b.d);
  let depth = 0;
  let max = 0;
  let wall = 0;
  let from = 0;
  for (const p of points) {
    if (depth === 0 && p.d > 0) from = p.t;
    depth += p.d;
    max = Math.max(max, depth);
    if (depth === 0) wall += p.t - from;
  }
  return { wall, max };
}

/**
 * Starts recording; the returned function stops it and gives the profile. `dataDir` names the
 * homeserver whose CPU is read.
 */
export async function profileWindow(dataDir: string): Promise<() => Promise<SendProfile>> {
  const cpuProfileFile = process.env.HONGYAN_BENCH_CPU_PROFILE;
  const inspector = cpuProfileFile ? new Session() : undefined;
  if (inspector) {
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.start');
  }
  const calls: Call[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const call: Call = {
      kind: kindOf(url, init?.method ?? 'GET'),
      start: performance.now(),
      end: 0,
    };
    try {
      const res = await original(input, init);
      // The body is read by the caller; a response's headers are enough to mark the server done.
      return res;
    } finally {
      call.end = performance.now();
      calls.push(call);
    }
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const server0 = synapseCpuSeconds(dataDir);
  return async () => {
    globalThis.fetch = original;
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (inspector && cpuProfileFile) {
      const { profile } = await inspector.post('Profiler.stop');
      writeFileSync(cpuProfileFile, JSON.stringify(profile));
      inspector.disconnect();
    }
    const server1 = synapseCpuSeconds(dataDir);
    // The long-poll /sync is always in flight; it is no part of the send.
    const relevant = calls.filter((c) => !c.kind.endsWith(' sync'));
    const kinds = [...new Set(relevant.map((c) => c.kind))];
    const endpoints = kinds
      .map((kind) => {
        const mine = relevant.filter((c) => c.kind === kind);
        const { wall, max } = union(mine);
        return {
          kind,
          calls: mine.length,
          totalMs: mine.reduce((s, c) => s + c.end - c.start, 0),
          wallMs: wall,
          maxInFlight: max,
          fromMs: Math.min(...mine.map((c) => c.start)) - t0,
          toMs: Math.max(...mine.map((c) => c.end)) - t0,
        };
      })
      .sort((a, b) => a.fromMs - b.fromMs);
    return {
      wallMs,
      endpoints,
      anyRequestMs: union(relevant).wall,
      clientCpuMs: (cpu.user + cpu.system) / 1000,
      serverCpuMs:
        server0 === undefined || server1 === undefined ? undefined : (server1 - server0) * 1000,
    };
  };
}

/** The profile as log lines. */
export function describeProfile(p: SendProfile): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `profile of the window (${s(p.wallMs)} wall, ${cpus().length} cores): client CPU ${s(p.clientCpuMs)}, ` +
      `homeserver CPU ${p.serverCpuMs === undefined ? 'n/a' : s(p.serverCpuMs)}; ` +
      `some request in flight ${s(p.anyRequestMs)}, client alone ${s(p.wallMs - p.anyRequestMs)}`,
    ...p.endpoints.map(
      (e) =>
        `  ${e.kind}: ${e.calls} call${e.calls === 1 ? '' : 's'}, in flight ${s(e.wallMs)} ` +
        `(sum ${s(e.totalMs)}, at most ${e.maxInFlight} at once; from ${s(e.fromMs)} to ${s(e.toMs)})`,
    ),
  ];
}
