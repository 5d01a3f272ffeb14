/**
 * `./hongyan start`: the homeserver kit with the demo province, then the app.
 * The desktop app runs when Electron's binary is installed; otherwise the same renderer is served
 * in web mode and its URL printed. Ctrl-C stops the app and the homeserver.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findElectronBinary } from './electron-binary';
import { serveWebApp } from './web-server';

const root = process.cwd();
const args = process.argv.slice(2);
const keepHomeserver = args.includes('--keep-homeserver');
const webPort = Number(process.env.HONGYAN_WEB_PORT ?? 8080);
const hsPort = Number(process.env.HONGYAN_HS_PORT ?? 8008);
const homeserverUrl = `http://127.0.0.1:${hsPort}`;

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

function stopHomeserver(): void {
  if (keepHomeserver) {
    console.log('Homeserver left running; stop it with: npm run hs -- stop');
    return;
  }
  run('npx', ['tsx', 'homeserver/cli.ts', 'stop']);
}

async function main(): Promise<void> {
  const hsStatus = run('npx', ['tsx', 'homeserver/cli.ts', 'start', '--port', String(hsPort)]);
  if (hsStatus !== 0) process.exit(hsStatus);

  const electron = electronBinary();
  if (electron) {
    console.log('==> Building and starting the desktop app…');
    if (run('npx', ['electron-vite', 'build']) !== 0) process.exit(1);
    const child = spawn(electron, ['.', `--hongyan-homeserver=${homeserverUrl}`], { stdio: 'inherit', cwd: root });
    const stop = () => child.kill('SIGTERM');
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    child.on('exit', (code) => {
      stopHomeserver();
      process.exit(code ?? 0);
    });
    return;
  }

  console.log("==> Electron's binary is not installed: serving the app in web mode.");
  if (run('npx', ['vite', 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn']) !== 0) process.exit(1);
  const web = await serveWebApp({ root: join(root, 'dist', 'web'), port: webPort, config: { defaultHomeserverUrl: homeserverUrl } });
  console.log(`\n  鸿雁 web app:  ${web.url}\n  Homeserver:   ${homeserverUrl}\n\n  Open the web app in a browser; press Ctrl-C to stop.\n`);
  const shutdown = async () => {
    await web.close();
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
