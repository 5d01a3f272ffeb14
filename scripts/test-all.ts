/**
 * The whole suite, in the order that fails fastest: typecheck, lint, unit, integration (real Synapse),
 * e2e (Chromium against the real homeserver). Prints one closing line with the test counts and exits
 * non-zero when anything failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Step {
  name: string;
  cmd: string[];
  /** Vitest JSON report to read test counts from. */
  report?: string;
}

const resultsDir = join(process.cwd(), 'test-results');
mkdirSync(resultsDir, { recursive: true });

const vitest = (project: string): Step => ({
  name: project,
  report: join(resultsDir, `vitest-${project}.json`),
  cmd: [
    'npx',
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${join(resultsDir, `vitest-${project}.json`)}`,
  ],
});

const only = process.argv.slice(2);
const steps: Step[] = [
  { name: 'typecheck', cmd: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'lint', cmd: ['npm', 'run', '--silent', 'lint'] },
  vitest('unit'),
  vitest('integration'),
  vitest('e2e'),
].filter((s) => only.length === 0 || only.includes(s.name));

let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];
for (const step of steps) {
  console.log(`\n==> ${step.name}: ${step.cmd.join(' ')}`);
  const started = Date.now();
  const res = spawnSync(step.cmd[0]!, step.cmd.slice(1), { stdio: 'inherit', env: process.env });
  const ok = res.status === 0;
  if (step.report && existsSync(step.report)) {
    const report = JSON.parse(readFileSync(step.report, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
    };
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
  }
  if (!ok) failures.push(step.name);
  console.log(
    `==> ${step.name}: ${ok ? 'ok' : 'FAILED'} (${Math.round((Date.now() - started) / 1000)} s)`,
  );
}

console.log(`\nsteps failed: ${failures.length ? failures.join(', ') : 'none'}`);
// Counted failures include a failing typecheck or lint step, so the closing line never reads green on red.
console.log(
  `${passed} passed, ${failed + (failures.length && failed === 0 ? failures.length : 0)} failed, ${skipped} skipped`,
);
process.exit(failures.length ? 1 : 0);
