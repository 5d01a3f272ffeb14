/**
 * The soak's client process: signs in as the issuer on a new device and runs one stored fan-out
 * from a file, printing `device <id>` once signed in and `sent <n>` after every copy, so the soak
 * can SIGKILL it at a chosen point mid-fan-out. Arguments: homeserver URL, username, store file,
 * circular id; the password comes in HONGYAN_SOAK_PASSWORD (never on the command line).
 */
import { FanOutEvent, FanOutRunner } from '../../renderer/src/circulars/fan-out-runner';
import { ClientManager, quietLogger } from '../../renderer/src/matrix/client-manager';
import { waitForFirstSync } from '../../renderer/src/matrix/wait-for';
import { FileFanOutStore } from './file-fan-out-store';

const [homeserverUrl, username, storeFile, circularId] = process.argv.slice(2);
if (!homeserverUrl || !username || !storeFile || !circularId) {
  console.error('usage: fan-out-child.ts HOMESERVER USERNAME STORE_FILE CIRCULAR_ID');
  process.exit(2);
}
const manager = new ClientManager();
const login = await manager.login({
  homeserverUrl,
  username,
  password: process.env.HONGYAN_SOAK_PASSWORD ?? '',
  deviceDisplayName: 'soak client',
});
if (!login.ok) {
  console.error(`login of ${username} failed: ${login.error.kind}`);
  process.exit(1);
}
const client = await manager.start(login.credentials, { persistent: false, logger: quietLogger });
await waitForFirstSync(client);
process.stdout.write(`device ${client.getDeviceId() ?? ''}\n`);
const runner = new FanOutRunner({
  client,
  store: new FileFanOutStore(storeFile),
  circularId,
  concurrency: 1,
});
runner.on(FanOutEvent.Progress, (p) => void process.stdout.write(`sent ${p.sent}\n`));
const progress = await runner.run();
process.stdout.write(`done ${progress.sent}\n`);
await manager.stop();
process.exit(0);
