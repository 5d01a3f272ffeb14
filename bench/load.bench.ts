/**
 * Load benchmark: N concurrent clients, each with its own account and access token, long-polling
 * /sync against the worker topology and against the single process, in the same run. Most are bare
 * HTTP clients; the first ones are full app clients with Rust crypto. The issuing office sends
 * encrypted circulars to every unit room through the app's fan-out runner while a share of the
 * staff chat and acknowledge. Measured: delivery p50/p95 (accepted by the server → seen in each
 * recipient's sync), deliveries lost, and CPU seconds of every server process over the window.
 * Target (design brief): 1,000 clients, 0 lost, p95 ≤ 5 s on the worker topology.
 *
 *   HONGYAN_LOAD_CLIENTS=100 npm run bench -- load    a quick look (default 1,000)
 *
 * Run alone with `npx tsx bench/load.bench.ts`.
 */
import { pathToFileURL } from 'node:url';
import { availableParallelism, loadavg } from 'node:os';
import type { Topology } from '../homeserver/kit-config';
import { runLoad, type LoadRunResult } from './load/load-run';

/** Options of {@link runLoadBench}. */
export interface LoadBenchOptions {
  log: (line: string) => void;
  /** Concurrent clients (default 1,000). */
  clients?: number;
}

const TARGET_P95_MS = 5000;

function describe(r: LoadRunResult): string[] {
  const cpu = [...r.cpu].map(([name, s]) => `${name} ${s.toFixed(1)}`).join(', ');
  const total = [...r.cpu.values()].reduce((a, b) => a + b, 0);
  const c = r.circulars;
  const m = r.messages;
  return [
    `${r.topology}: circular deliveries ${c.deliveries}, lost ${c.lost}, p50 ${c.p50.toFixed(0)} ms, p95 ${c.p95.toFixed(0)} ms`,
    `${r.topology}: chat and acknowledgment deliveries ${m.deliveries}, lost ${m.lost}, p50 ${m.p50.toFixed(0)} ms, p95 ${m.p95.toFixed(0)} ms`,
    `${r.topology}: server CPU over the ${r.windowS.toFixed(0)} s window: ${total.toFixed(1)} s (${cpu}); sync errors retried: ${r.syncErrors}`,
    // The cores the server would need to do this run's work as fast as the load arrived; on fewer,
    // deliveries queue and the latency grows with the backlog.
    ...(r.sendSpanS > 0
      ? [
          `${r.topology}: the sends spanned ${r.sendSpanS.toFixed(0)} s; keeping up with them takes ≈ ${(total / r.sendSpanS).toFixed(1)} cores of server (this machine has ${availableParallelism()})`,
        ]
      : []),
    `${r.topology}: the clients' own process: ${r.harness.cpuS.toFixed(1)} CPU-s; its event loop ran late by ${r.harness.loopDelayP95Ms.toFixed(0)} ms (p95), ${r.harness.loopDelayMaxMs.toFixed(0)} ms at worst`,
  ];
}

/** Runs both topologies and prints the summary line. */
export async function runLoadBench(
  options: LoadBenchOptions,
): Promise<{ workers: LoadRunResult; single: LoadRunResult }> {
  const { log } = options;
  const clients = options.clients ?? Number(process.env.HONGYAN_LOAD_CLIENTS ?? 1000);
  if (!Number.isInteger(clients) || clients < 10)
    throw new Error(`HONGYAN_LOAD_CLIENTS: "${String(clients)}" is not a client count (≥ 10)`);
  const common = {
    clients,
    // At least 20 full app clients at full scale; fewer in a quick look.
    appClients: Math.min(20, Math.max(2, Math.floor(clients / 10))),
    perRoom: 50,
    circulars: 3,
    intervalS: 10,
    chatShare: 0.1,
    ackShare: 0.3,
  };
  log(
    `${clients} clients (${common.appClients} app clients with Rust crypto), ${Math.ceil(clients / common.perRoom)} unit rooms of ${common.perRoom}; ` +
      `${common.circulars} circulars ${common.intervalS} s apart, ${common.chatShare * 100} % chatting, ${common.ackShare * 100} % acknowledging each; load average ${loadavg()[0]?.toFixed(1)}`,
  );
  const results = {} as Record<Topology, LoadRunResult>;
  for (const topology of ['workers', 'single'] as const) {
    log(`-- ${topology}`);
    results[topology] = await runLoad({ ...common, topology, log: (l) => log(`  ${l}`) });
    for (const line of describe(results[topology])) log(line);
  }
  const { workers, single } = results;
  const lost = workers.circulars.lost + single.circulars.lost;
  const p95 = workers.circulars.p95;
  log(
    `target: 0 lost and p95 ≤ ${TARGET_P95_MS} ms on workers: ${lost === 0 && p95 <= TARGET_P95_MS ? 'met' : 'MISSED'}`,
  );
  process.stdout.write(
    `load: ${clients} clients, ${lost} lost, p95 delivery ${p95.toFixed(0)} ms (workers), ${single.circulars.p95.toFixed(0)} ms (single)\n`,
  );
  return { workers, single };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log = console.info = console.debug = () => undefined;
  await runLoadBench({ log: (line) => process.stdout.write(`${line}\n`) });
}
