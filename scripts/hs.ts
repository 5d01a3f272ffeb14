/**
 * `npm run hs`: the homeserver kit's command line, with the demo province as what `start` seeds.
 * The kit (`homeserver/`) and the provisioning code that applies the demo org spec (`admin/`) meet
 * here, so neither imports the other's side of the seam (`homeserver/seed.ts`).
 */
import { runSeed } from '../admin/seed-demo';
import { main } from '../homeserver/cli';

process.exitCode = await main(process.argv.slice(2), { seed: runSeed });
