/**
 * Fuzz run: 10,000 hostile circular and ack events (fast-check) through the timeline, parsing, the
 * inbox view under a DOM and the dashboard aggregation, then hostile org specs and CSV user lists
 * through validation and the planner. Target: 0 crashes, every hostile circular shown as untrusted
 * with a reason (or as inert text when still well-formed), every hostile ack set aside, dashboard
 * totals unchanged. The suite runs 1,000 of the same (renderer/src/circulars/circulars.fuzz.test.tsx).
 *
 * Run alone with `npm run bench -- fuzz`; HONGYAN_FUZZ_EVENTS changes the count, HONGYAN_FUZZ_SEED
 * the seed (random by default; printed so a failure replays).
 */
import fc from 'fast-check';
import { fuzzImports, hostileImport } from '../admin/org-spec-fuzz';
import { installDom } from './jsdom-global';

/** Options of {@link runFuzzBench}. */
export interface FuzzBenchOptions {
  log: (line: string) => void;
  /** Hostile circular and ack events (default 10,000). */
  events?: number;
  /** Hostile spec and CSV imports (default 2,000). */
  imports?: number;
  seed?: number;
}

/** Runs the fuzz; its summary line is printed last by `npm run bench`. */
export async function runFuzzBench(opts: FuzzBenchOptions): Promise<{ summaryLine: string }> {
  const { log } = opts;
  const events = opts.events ?? Number(process.env.HONGYAN_FUZZ_EVENTS ?? 10_000);
  const imports = opts.imports ?? Math.max(100, Math.round(events / 5));
  const seed = opts.seed ?? Number(process.env.HONGYAN_FUZZ_SEED ?? Date.now() % 2 ** 31);
  installDom();
  // Imported after the DOM exists: React DOM and Testing Library look for it when loaded.
  const { fuzzCircularEvents, FUZZ_COPY_EVENT_ID } =
    await import('../renderer/src/circulars/testing/circular-fuzz');
  const { hostileEvent } = await import('../renderer/src/circulars/testing/malformed-events');
  log(`seed ${seed}`);

  const started = performance.now();
  const sample = fc.sample(hostileEvent(FUZZ_COPY_EVENT_ID), { numRuns: events, seed });
  const circulars = sample.filter((e) => e.kind === 'circular').length;
  const r = await fuzzCircularEvents(sample);
  log(
    `events: ${r.events} (${circulars} circulars, ${r.events - circulars} acks) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  log(`crashes: ${r.crashes} (target 0)`);
  log(
    `circulars shown as untrusted with a reason: ${r.untrusted}, as inert text: ${r.inert} (target ${circulars} together)`,
  );
  log(`acks set aside, totals unchanged: ${r.acksSetAside} (target ${r.events - circulars})`);
  log(`other problems: ${r.failures.length - r.crashes} (target 0)`);
  for (const f of r.failures.slice(0, 20)) log(`  ${f}`);

  const specInputs = fc.sample(hostileImport, { numRuns: imports, seed });
  const s = fuzzImports(specInputs);
  log(
    `org specs and CSV imports: ${s.inputs}, ${s.crashes} crashes (target 0), ${s.rejected} refused with located errors, ${s.inputs - s.rejected} planned, other problems ${s.failures.length - s.crashes} (target 0)`,
  );
  for (const f of s.failures.slice(0, 20)) log(`  ${f}`);
  return { summaryLine: `fuzz: ${r.events} events, ${r.crashes + s.crashes} crashes` };
}
