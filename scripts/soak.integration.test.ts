import { expect, it } from 'vitest';
import { runSoak } from './soak/soak-run';

// The short variant of `npm run soak`: three rounds, each killing Synapse mid chat burst, mid acks
// and mid fan-out, and a client process mid fan-out; nothing may be lost or arrive twice.
it('loses and duplicates nothing across 3 SIGKILLs of Synapse and 3 of a client mid fan-out', async () => {
  const lines: string[] = [];
  const result = await runSoak({ rounds: 3, burst: 20, log: (l) => lines.push(l) });
  expect(result, lines.join('\n')).toMatchObject({
    kills: 3,
    clientKills: 3,
    lost: 0,
    duplicated: 0,
  });
  expect(result.summaryLine).toBe('soak: 3 kills, 0 lost, 0 duplicated');
}, 900_000);
