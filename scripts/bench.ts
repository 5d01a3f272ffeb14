/**
 * `npm run bench`: every performance figure of the design brief, each printed beside its target and
 * the baseline measured in the same run. Benchmarks are not tests; they never fail the suite, but
 * the summary marks figures that missed their target.
 *
 *   npm run bench                 all benchmarks
 *   npm run bench -- dashboard    only the named ones (dashboard, ack-latency, chat-latency,
 *                                 late-recipient, room-list, timeline, fuzz, fanout, large-room, load, provisioning)
 *   HONGYAN_LOAD_CLIENTS=100      the load benchmark with 100 clients instead of 1,000
 *   HONGYAN_BENCH_SCALE=0.1       provisioning at a tenth of the synthetic province (quick look)
 */
import { loadavg } from 'node:os';
import { BENCHMARKS } from '../bench/registry';
import { isAbortOfStoppedClient } from '../bench/chat-helpers';
import { captureConsole } from './console-capture';

const only = process.argv.slice(2);
const selected = BENCHMARKS.filter((b) => only.length === 0 || only.includes(b.name));
if (selected.length === 0) {
  console.error(
    `unknown benchmark: ${only.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}

// matrix-js-sdk logs every sync and send through the console (debug lines, traces with stacks,
// warnings about default push rules); in a benchmark that is thousands of lines hiding the figures.
// Figures go straight to stdout; everything written through the console goes to a log file.
const print = (line: string) => void process.stdout.write(`${line}\n`);
const CONSOLE_LOG = 'test-results/bench-console.log';
const consoleCapture = captureConsole(CONSOLE_LOG);
const log = (line: string) => print(`  ${line}`);
print(
  `Hongyan benchmarks — ${new Date().toISOString()}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
process.on('unhandledRejection', (reason) => {
  if (isAbortOfStoppedClient(reason)) return;
  print(`  ERROR (unhandled): ${(reason as Error)?.stack ?? String(reason)}`);
  process.exit(1);
});

let errors = 0;
// Summary lines that tools read (e.g. `fuzz: 10000 events, 0 crashes`) come last, unindented.
const summaries: string[] = [];
for (const bench of selected) {
  print(`\n== ${bench.name}: ${bench.title}`);
  try {
    const result = await bench.run(log);
    const summary = (result as { summaryLine?: unknown } | undefined)?.summaryLine;
    if (typeof summary === 'string') summaries.push(summary);
  } catch (err) {
    errors += 1;
    print(`  ERROR: ${(err as Error).stack ?? String(err)}`);
  }
}
await consoleCapture.restore();
print(`\n(${consoleCapture.lines()} lines of SDK and console output in ${CONSOLE_LOG})`);
for (const line of summaries) print(line);
process.exit(errors ? 1 : 0);
