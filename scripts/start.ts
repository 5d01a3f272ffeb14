/**
 * `./hongyan start`: the homeserver kit with the demo province, then the app.
 * The desktop app runs when Electron's binary is installed; otherwise the same renderer is served
 * in web mode and its URL printed. Ctrl-C stops the app and the homeserver.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startOrgAgent, type OrgAgent } from '../admin/agent';
import { startKeyCustodian } from '../renderer/src/circulars/key-custodian';
import { sealedFileStore } from './sealed-file-store';
import { ensureAdmin } from '../homeserver/admin-api';
import { openInstance } from '../homeserver/instance';
import { DEFAULT_DATA_DIR } from '../homeserver/paths';
import { findElectronBinary } from './electron-binary';
import { serveWebApp } from './web-server';
import { removeSsoDemoConfig, startSsoDemo, type SsoDemo } from './sso-demo';

const root = process.cwd();
const args = process.argv.slice(2);
const keepHomeserver = args.includes('--keep-homeserver');
const webPort = Number(process.env.HONGYAN_WEB_PORT ?? 8080);
const hsPort = Number(process.env.HONGYAN_HS_PORT ?? 8008);
const homeserverUrl = `http://127.0.0.1:${hsPort}`;
/** `HONGYAN_SSO_DEMO=1`: the stand-in identity platform for 统一身份认证登录 (docs/identity.md). */
const ssoDemoOn = process.env.HONGYAN_SSO_DEMO === '1';
const idpPort = Number(process.env.HONGYAN_IDP_PORT ?? 8010);
let ssoDemo: SsoDemo | null = null;

function run(cmd: string, cmdArgs: string[]): number {
  return spawnSync(cmd, cmdArgs, { stdio: 'inherit', cwd: root }).status ?? 1;
}

/** Path of the Electron binary if it was downloaded, else null (web mode). */
function electronBinary(): string | null {
  const found = findElectronBinary();
  if ('missing' in found) {
    console.log(`(desktop app unavailable: ${found.missing})`);
    return null;
  }
  return found.path;
}

/**
 * The org agent carries out unit admins' in-app requests (add a person, move, deactivate …) with the
 * provisioning account; it runs beside the app for as long as the demo does.
 */
async function startAgent(): Promise<OrgAgent> {
  const instance = await openInstance(DEFAULT_DATA_DIR);
  const admin = await ensureAdmin(instance);
  const agent = await startOrgAgent({
    homeserverUrl: homeserverUrl,
    adminToken: admin.accessToken,
    keyFile: join(instance.paths.secretsDir, 'org-agent-key.pem'),
    log: (line) => console.log(`[org agent] ${line}`),
  });
  await agent.ready;
  console.log(`==> Org agent running as ${agent.userId}.`);
  // A deployment's choice (docs/key-grants.md): the org-run key custodian for late recipients.
  if (process.env.HONGYAN_KEY_CUSTODIAN === '1') {
    // With the operator's passphrase (never stored here) the held sessions survive a restart.
    const passphrase = process.env.HONGYAN_KEY_CUSTODIAN_PASSPHRASE;
    const custodian = await startKeyCustodian({
      homeserverUrl,
      userId: admin.userId,
      password: admin.password,
      log: (line) => console.log(`[key custodian] ${line}`),
      ...(passphrase
        ? {
            sealed: {
              store: sealedFileStore(join(instance.paths.secretsDir, 'key-custodian.sealed')),
              passphrase,
            },
          }
        : {}),
    });
    console.log(`==> Key custodian running as device ${custodian.deviceId}.`);
    const stopAgent = agent.stop.bind(agent);
    return {
      ...agent,
      stop: () => Promise.all([stopAgent(), custodian.stop()]).then(() => undefined),
    };
  }
  return agent;
}

function stopHomeserver(): void {
  void ssoDemo?.stop();
  if (keepHomeserver) {
    console.log('Homeserver left running; stop it with: npm run hs -- stop');
    return;
  }
  run('npx', ['tsx', 'scripts/hs.ts', 'stop']);
}

async function main(): Promise<void> {
  await removeSsoDemoConfig(DEFAULT_DATA_DIR);
  if (ssoDemoOn) {
    ssoDemo = await startSsoDemo({
      dataDir: DEFAULT_DATA_DIR,
      homeserverUrl,
      appRedirectUrls: [`http://127.0.0.1:${webPort}/`, 'hongyan://sso-callback'],
      port: idpPort,
    });
  }
  const hsStatus = run('npx', ['tsx', 'scripts/hs.ts', 'start', '--port', String(hsPort)]);
  if (hsStatus !== 0) process.exit(hsStatus);
  const agent = await startAgent();
  if (ssoDemo) {
    const admin = await ensureAdmin(await openInstance(DEFAULT_DATA_DIR));
    const n = await ssoDemo.enrolDemoAccounts(admin.accessToken);
    console.log(
      `==> 统一身份认证 (stand-in) at ${ssoDemo.issuer}: ${n} demo accounts can sign in.`,
    );
  }

  const electron = electronBinary();
  if (electron) {
    console.log('==> Building and starting the desktop app…');
    if (run('npx', ['electron-vite', 'build']) !== 0) process.exit(1);
    const child = spawn(electron, ['.', `--hongyan-homeserver=${homeserverUrl}`], {
      stdio: 'inherit',
      cwd: root,
    });
    const stop = () => child.kill('SIGTERM');
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    child.on('exit', async (code) => {
      await agent.stop();
      stopHomeserver();
      process.exit(code ?? 0);
    });
    return;
  }

  console.log("==> Electron's binary is not installed: serving the app in web mode.");
  if (run('npx', ['vite', 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn']) !== 0)
    process.exit(1);
  const web = await serveWebApp({
    root: join(root, 'dist', 'web'),
    port: webPort,
    config: { defaultHomeserverUrl: homeserverUrl },
    ...(ssoDemo ? { identityProviderOrigin: ssoDemo.issuer } : {}),
  });
  console.log(
    `\n  鸿雁 web app:  ${web.url}\n  Homeserver:   ${homeserverUrl}\n\n  Open the web app in a browser; press Ctrl-C to stop.\n`,
  );
  const shutdown = async () => {
    await web.close();
    await agent.stop();
    stopHomeserver();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  console.error(`hongyan start: ${(err as Error).message}`);
  process.exit(1);
});
