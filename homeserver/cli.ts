/**
 * The homeserver kit's command line: `npm run hs -- <start|stop|status|reset|logs|accounts> [options]`.
 * Expected failures print a message (no stack trace) and exit 1; usage mistakes exit 2. The
 * executable entry point is `scripts/hs.ts`, which passes the demo seeding in (see `seed.ts`).
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import path from 'node:path';
import { ensureAdmin, registerUser } from './admin-api';
import { backupInstance, restoreBackup } from './backup';
import type { CliInvocation } from './cli-args';
import { USAGE, UsageError, parseCli } from './cli-args';
import { KitError, formatError } from './errors';
import { changedSettings } from './kit-config';
import { openInstance, prepareInstance } from './instance';
import type { HomeserverInstance } from './instance';
import { resetInstance, runningPid, startSynapse, stopSynapse, synapseStatus } from './lifecycle';
import { followLog, printLogTail } from './log-tail';
import { instancePaths } from './paths';
import { demoAccountsFile, formatDemoAccounts, readDemoAccounts } from './demo-accounts';
import type { SeedHook } from './seed';
import { formatProcesses, printTopologyLogs } from './topology/topology-cli';
import { ensureVenv } from './venv';

const out = (message: string): void => void process.stdout.write(`${message}\n`);
const err = (message: string): void => void process.stderr.write(`${message}\n`);

function rel(file: string): string {
  const r = path.relative(process.cwd(), file);
  return r && !r.startsWith('..') ? r : file;
}

async function openIfExists(dataDir: string): Promise<HomeserverInstance | undefined> {
  return existsSync(instancePaths(dataDir).kitConfig) ? openInstance(dataDir) : undefined;
}

/** What the caller plugs into the kit's commands. */
export interface KitHooks {
  /** Seeds a fresh instance at the end of `start`; without it `start` seeds nothing. */
  seed?: SeedHook;
}

async function start(inv: CliInvocation, hooks: KitHooks): Promise<number> {
  let instance = await openIfExists(inv.dataDir);
  if (instance && (await runningPid(instance)) !== undefined) {
    const changed = changedSettings(instance.config, inv.settings);
    if (changed.length > 0) {
      throw new KitError(
        `Synapse is already running for ${rel(instance.paths.dataDir)}; stop it before changing ${changed.join(', ')}.`,
      );
    }
    out(`Synapse is already running at ${instance.baseUrl} (server name ${instance.serverName}).`);
  } else {
    instance = await prepareInstance({ dataDir: inv.dataDir, settings: inv.settings, warn: err });
    const venv = await ensureVenv({ log: err });
    out(
      `Starting Synapse ${venv.synapseVersion} for ${instance.serverName} (data: ${rel(instance.paths.dataDir)})…`,
    );
    const started = await startSynapse(instance, {
      python: venv.python,
      detached: true,
      ...(inv.timeoutSeconds === undefined ? {} : { timeoutMs: inv.timeoutSeconds * 1000 }),
    });
    out(
      `Synapse is running at ${instance.baseUrl} (pid ${started.pid}, log: ${rel(instance.paths.logFile)}).`,
    );
  }

  const admin = await ensureAdmin(instance);
  out(
    `Server admin: ${admin.userId} (credentials in ${rel(instance.paths.adminCredentials)}, owner-only).`,
  );

  // ---- Demo seeding step --------------------------------------------------------------------
  // Runs after the server answers and the admin exists; the demo seeding seeds once, on the first start.
  if (!inv.noSeed && hooks.seed) {
    const target = instance;
    await hooks.seed({
      instance,
      admin,
      registerUser: (opts) => registerUser(target, opts),
      log: out,
    });
  }
  // --------------------------------------------------------------------------------------------
  return 0;
}

async function stop(inv: CliInvocation): Promise<number> {
  const instance = await openIfExists(inv.dataDir);
  if (!instance) {
    out(`No homeserver instance in ${rel(inv.dataDir)}; nothing to stop.`);
    return 0;
  }
  const result = await stopSynapse(
    instance,
    inv.timeoutSeconds === undefined ? {} : { timeoutMs: inv.timeoutSeconds * 1000 },
  );
  out(
    result.wasRunning
      ? `Synapse stopped; port ${instance.config.port} is free.`
      : 'Synapse was not running.',
  );
  return 0;
}

async function status(inv: CliInvocation): Promise<number> {
  const instance = await openIfExists(inv.dataDir);
  if (!instance) {
    out(`No homeserver instance in ${rel(inv.dataDir)}.`);
    return 3;
  }
  const s = await synapseStatus(instance);
  const state = s.running
    ? s.answering
      ? `running (pid ${s.pid}), answering`
      : `running (pid ${s.pid}), not answering yet`
    : 'stopped';
  out(`Synapse: ${state}`);
  out(`  URL:         ${s.baseUrl}`);
  out(`  server name: ${s.serverName}`);
  out(`  data dir:    ${rel(s.dataDir)}`);
  out(`  database:    ${s.database}`);
  out(
    `  federation:  ${s.federationAllow.length > 0 ? `only with ${s.federationAllow.join(', ')}` : 'off'}`,
  );
  if (instance.config.topology === 'workers') {
    out(`  topology:    workers (${instance.config.genericWorkers} generic)`);
    for (const line of formatProcesses(s.processes)) out(`    ${line}`);
  }
  return s.running ? 0 : 3;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(question)).trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

async function reset(inv: CliInvocation): Promise<number> {
  const instance = await openIfExists(inv.dataDir);
  if (!instance) {
    out(`No homeserver instance in ${rel(inv.dataDir)}; nothing to reset.`);
    return 0;
  }
  const what = `all data of ${instance.serverName} in ${rel(instance.paths.dataDir)}${instance.postgres ? ` and the database ${instance.config.databaseUrl}` : ''}`;
  if (!inv.yes) {
    if (!process.stdin.isTTY)
      throw new KitError(
        `Refusing to delete ${what} without confirmation: stdin is not a terminal. Pass --yes.`,
      );
    if (!(await confirm(`Delete ${what}? This cannot be undone. Type "yes" to confirm: `))) {
      out('Nothing deleted.');
      return 1;
    }
  }
  const python = instance.postgres ? (await ensureVenv({ log: err })).python : undefined;
  await resetInstance(instance, python);
  out(`Deleted ${what}.`);
  return 0;
}

async function accounts(inv: CliInvocation): Promise<number> {
  const file = demoAccountsFile(instancePaths(inv.dataDir));
  const record = await readDemoAccounts(file);
  if (!record.accounts) {
    out(
      `No demo accounts in ${rel(inv.dataDir)} yet: the demo province is seeded on the first \`npm run hs -- start\`.`,
    );
    return 3;
  }
  out(`Demo accounts (from ${rel(file)}, owner-only):\n`);
  out(formatDemoAccounts(record.accounts));
  return 0;
}

async function backup(inv: CliInvocation): Promise<number> {
  const instance = await openInstance(inv.dataDir);
  const m = await backupInstance(instance, inv.backupDir ?? '');
  const bytes = m.files.reduce((n, f) => n + f.size, 0);
  out(
    `Backed up ${instance.serverName}: ${m.files.length} files, ${(bytes / 1e6).toFixed(1)} MB, to ${rel(inv.backupDir ?? '')} (owner-only: it holds the signing key and secrets).`,
  );
  return 0;
}

async function restore(inv: CliInvocation): Promise<number> {
  const m = await restoreBackup(inv.backupDir ?? '', inv.dataDir);
  out(
    `Restored ${m.serverName} from the backup of ${m.createdAt} into ${rel(inv.dataDir)}; start it with \`npm run hs -- start --data-dir ${rel(inv.dataDir)}\`.`,
  );
  return 0;
}

async function logs(inv: CliInvocation): Promise<number> {
  const instance = await openIfExists(inv.dataDir);
  if (instance?.config.topology === 'workers') {
    await printTopologyLogs(instance, inv.lines, inv.follow, (chunk) =>
      process.stdout.write(chunk),
    );
    return 0;
  }
  const { logFile } = instancePaths(inv.dataDir);
  if (!existsSync(logFile) && !inv.follow) {
    out(`No log yet at ${rel(logFile)}.`);
    return 0;
  }
  await printLogTail(logFile, inv.lines, (chunk) => process.stdout.write(chunk));
  if (inv.follow) await followLog(logFile, (chunk) => process.stdout.write(chunk));
  return 0;
}

/** Runs the CLI with the given arguments and returns the exit code. */
export async function main(argv: readonly string[], hooks: KitHooks = {}): Promise<number> {
  let inv: CliInvocation;
  try {
    inv = parseCli(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`${e.message}\n\n${USAGE}`);
    return 2;
  }
  try {
    switch (inv.command) {
      case 'help':
        out(USAGE);
        return 0;
      case 'start':
        return await start(inv, hooks);
      case 'stop':
        return await stop(inv);
      case 'status':
        return await status(inv);
      case 'reset':
        return await reset(inv);
      case 'logs':
        return await logs(inv);
      case 'accounts':
        return await accounts(inv);
      case 'backup':
        return await backup(inv);
      case 'restore':
        return await restore(inv);
    }
  } catch (e) {
    err(formatError(e));
    return 1;
  }
}
