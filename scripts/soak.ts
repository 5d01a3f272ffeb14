/**
 * `npm run soak`: the kill -9 soak (scripts/soak/soak-run.ts), 20 rounds by default
 * (HONGYAN_SOAK_ROUNDS; HONGYAN_SOAK_SEED replays a run's kill points). SDK and console output go
 * to test-results/soak-console.log; the last line reads `soak: N kills, L lost, D duplicated`.
 */
import { captureConsole } from './console-capture';
import { runSoak } from './soak/soak-run';

const print = (line: string) => void process.stdout.write(`${line}\n`);
const capture = captureConsole('test-results/soak-console.log');
const seed = process.env.HONGYAN_SOAK_SEED;
let exitCode = 1;
try {
  const result = await runSoak({
    rounds: Number(process.env.HONGYAN_SOAK_ROUNDS ?? 20),
    log: (line) => print(`  ${line}`),
    ...(seed === undefined ? {} : { seed: Number(seed) }),
  });
  await capture.restore();
  print(result.summaryLine);
  exitCode = result.lost + result.duplicated === 0 ? 0 : 1;
} catch (err) {
  await capture.restore();
  print(`soak failed: ${(err as Error).stack ?? String(err)}`);
}
process.exit(exitCode);
