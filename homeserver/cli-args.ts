import path from 'node:path';
import { parseArgs } from 'node:util';
import type { KitConfig } from './kit-config';
import {
  parseFederationAllow,
  validateBind,
  validatePort,
  validateServerName,
  validateTopology,
  validateWorkerCount,
} from './kit-config';
import { DEFAULT_DATA_DIR } from './paths';

/** A command-line mistake: the CLI prints it with the usage text and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The kit's commands. */
export type Command =
  'start' | 'stop' | 'status' | 'reset' | 'logs' | 'accounts' | 'backup' | 'restore' | 'help';

/** A parsed command line. */
export interface CliInvocation {
  command: Command;
  dataDir: string;
  /** Settings for `start` (only those given). */
  settings: Partial<KitConfig>;
  /** `start`: skip the demo seed. */
  noSeed: boolean;
  /** `start`/`stop`: seconds to wait. */
  timeoutSeconds?: number;
  /** `reset`: skip the confirmation. */
  yes: boolean;
  /** `logs`: keep printing new lines. */
  follow: boolean;
  /** `logs`: how many lines to show first. */
  lines: number;
  /** `backup`: the new backup directory; `restore`: the backup to restore from. */
  backupDir?: string;
}

export const USAGE = `Usage: npm run hs -- <command> [options]

Commands:
  start    Start Synapse in the background (installs it on first use) and wait until it answers
  stop     Stop it (SIGTERM, then SIGKILL after --timeout)
  status   Say whether it runs and answers (exit code 3 when stopped)
  reset    Stop it and delete all its data (asks first; --yes to skip)
  logs     Show the end of its log (-f to follow)
  accounts Print the demo accounts: unit, role and password (seeded on the first start)
  backup   Copy database, media, signing key, secrets and audit log to --to DIR (works while running)
  restore  Restore a backup (--from DIR) into a fresh --data-dir, then \`start\` it

Options:
  --data-dir <dir>             Instance data directory (default homeserver/data)
  start:
  --port <n>                   Client API port (default 8008)
  --bind <ip>                  Client listener address (default 127.0.0.1; keeps /_synapse/admin local)
  --server-name <name>         Matrix server name (default hongyan.local; fixed once created)
  --database-url <url>         postgres://user[:password]@host:port/db (default: SQLite in the data dir)
  --federation-allow <a,b>     Federate only with these servers (default: federation off)
  --federation-port <n>        Federation listener port when an allow-list is given (default 8448)
  --topology <single|workers>  single: one Synapse on SQLite (default); workers: main, generic
                               workers, event persister, federation sender, Redis, PostgreSQL, nginx
  --generic-workers <n>        Generic workers in the workers topology (default 1)
  --relaxed-rate-limits        Raise all rate limits: tests and benchmarks only (--no-relaxed-rate-limits)
  --no-seed                    Do not seed the demo province (it is seeded once, on the first start)
  --timeout <s>                start: wait this long for Synapse to answer; stop: before SIGKILL
  reset:
  --yes                        Do not ask for confirmation (required when stdin is not a terminal)
  backup:
  --to <dir>                   The new backup directory (must not exist or be empty)
  restore:
  --from <dir>                 The backup to restore (checked against its manifest first)
  logs:
  -f, --follow                 Keep printing new lines
  -n, --lines <n>              Lines to show (default 100)
`;

const COMMANDS: readonly Command[] = [
  'start',
  'stop',
  'status',
  'reset',
  'logs',
  'accounts',
  'backup',
  'restore',
  'help',
];

const OPTION_COMMANDS: Record<string, readonly Command[]> = {
  port: ['start'],
  bind: ['start'],
  'server-name': ['start'],
  'database-url': ['start'],
  'federation-allow': ['start'],
  'federation-port': ['start'],
  'relaxed-rate-limits': ['start'],
  topology: ['start'],
  'generic-workers': ['start'],
  seed: ['start'],
  timeout: ['start', 'stop'],
  yes: ['reset'],
  follow: ['logs'],
  lines: ['logs'],
  to: ['backup'],
  from: ['restore'],
};

function positiveNumber(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${option}: "${value}" is not a positive number`);
  return n;
}

/** Parses the CLI's arguments (without `node` and the script). Throws {@link UsageError} on mistakes. */
export function parseCli(argv: readonly string[]): CliInvocation {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    throw new UsageError(
      (err as Error).message.replace(/\. To specify a positional argument.*$/s, '.'),
    );
  }
  const { values, positionals } = parsed;
  if (values.help) return blank('help', values['data-dir']);
  if (positionals.length === 0) throw new UsageError('No command given.');
  if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}".`);
  const command = positionals[0] as Command;
  if (!COMMANDS.includes(command)) throw new UsageError(`Unknown command "${command}".`);

  for (const name of Object.keys(values)) {
    const allowed = OPTION_COMMANDS[name];
    if (allowed && !allowed.includes(command))
      throw new UsageError(`Option --${name} does not apply to "${command}".`);
  }

  const settings: Partial<KitConfig> = {};
  const v = values;
  try {
    if (v.port !== undefined) settings.port = validatePort(v.port, '--port');
    if (v.bind !== undefined) settings.bind = validateBind(v.bind, '--bind');
    if (v['server-name'] !== undefined)
      settings.serverName = validateServerName(v['server-name'], '--server-name');
    if (v['database-url'] !== undefined) settings.databaseUrl = v['database-url'];
    if (v['federation-allow'] !== undefined)
      settings.federationAllow = parseFederationAllow(v['federation-allow'], '--federation-allow');
    if (v['federation-port'] !== undefined)
      settings.federationPort = validatePort(v['federation-port'], '--federation-port');
    if (v.topology !== undefined) settings.topology = validateTopology(v.topology, '--topology');
    if (v['generic-workers'] !== undefined)
      settings.genericWorkers = validateWorkerCount(v['generic-workers'], '--generic-workers');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (v['relaxed-rate-limits'] !== undefined) settings.relaxedRateLimits = v['relaxed-rate-limits'];
  const backupDir = command === 'backup' ? v.to : command === 'restore' ? v.from : undefined;
  if ((command === 'backup' || command === 'restore') && backupDir === undefined)
    throw new UsageError(`"${command}" needs ${command === 'backup' ? '--to' : '--from'} <dir>.`);
  if (command === 'restore' && v['data-dir'] === undefined)
    throw new UsageError('"restore" needs --data-dir <dir>: a fresh directory to restore into.');

  return {
    ...blank(command, v['data-dir']),
    settings,
    noSeed: v.seed === false,
    ...(v.timeout === undefined ? {} : { timeoutSeconds: positiveNumber(v.timeout, 'timeout') }),
    yes: v.yes ?? false,
    follow: v.follow ?? false,
    lines: v.lines === undefined ? 100 : Math.floor(positiveNumber(v.lines, 'lines')),
    ...(backupDir === undefined ? {} : { backupDir: path.resolve(backupDir) }),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    allowNegative: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      bind: { type: 'string' },
      'server-name': { type: 'string' },
      'database-url': { type: 'string' },
      'federation-allow': { type: 'string' },
      'federation-port': { type: 'string' },
      'relaxed-rate-limits': { type: 'boolean' },
      topology: { type: 'string' },
      'generic-workers': { type: 'string' },
      seed: { type: 'boolean' },
      timeout: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      follow: { type: 'boolean', short: 'f' },
      lines: { type: 'string', short: 'n' },
      to: { type: 'string' },
      from: { type: 'string' },
    },
  });
}

function blank(command: Command, dataDir: string | undefined): CliInvocation {
  return {
    command,
    dataDir: dataDir ?? DEFAULT_DATA_DIR,
    settings: {},
    noSeed: false,
    yes: false,
    follow: false,
    lines: 100,
  };
}
