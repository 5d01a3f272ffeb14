import { isIP } from 'node:net';
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import type { Pair } from 'yaml';
import { KitError } from './errors';

/** The kit's settings for one instance, persisted as `kit.yaml` in its data directory. */
export interface KitConfig {
  /** Matrix server name (the part after `:` in user IDs). Fixed once the instance has data. */
  serverName: string;
  /** Port of the client listener (which also serves `/_synapse/admin`). */
  port: number;
  /** Address the client listener binds to; loopback by default so the admin API stays local. */
  bind: string;
  /** `postgres://user[:password]@host:port/db`; absent means SQLite. Stored without the password. */
  databaseUrl?: string;
  /** Server names allowed to federate with this one; empty means federation is off. */
  federationAllow: string[];
  /** Port of the federation listener, opened only when `federationAllow` is not empty. */
  federationPort: number;
  /** Raise every rate limit: for tests and benchmarks only. */
  relaxedRateLimits: boolean;
  /**
   * `single`: one Synapse process on SQLite (or `databaseUrl`). `workers`: Synapse main, generic
   * workers, an event persister and a federation sender behind nginx, with the kit's own Redis and
   * PostgreSQL (homeserver/README.md, "Worker topology").
   */
  topology: Topology;
  /** Generic workers serving /sync and client reads and writes (workers topology only). */
  genericWorkers: number;
}

/** How the kit runs Synapse. */
export type Topology = 'single' | 'workers';

/** The topologies, for option checks and messages. */
export const TOPOLOGIES: readonly Topology[] = ['single', 'workers'];

/** Checks a topology name. */
export function validateTopology(value: unknown, where: string): Topology {
  if (typeof value !== 'string' || !(TOPOLOGIES as readonly string[]).includes(value))
    throw new KitError(
      `${where}: "${String(value)}" is not a topology (${TOPOLOGIES.join(' or ')})`,
    );
  return value as Topology;
}

/** Checks a generic worker count (1–16: each is a full Synapse process). */
export function validateWorkerCount(value: unknown, where: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 16)
    throw new KitError(`${where}: "${String(value)}" is not a worker count (1-16)`);
  return n;
}

/** Defaults of every kit setting. */
export const KIT_DEFAULTS: Readonly<KitConfig> = Object.freeze({
  serverName: 'hongyan.local',
  port: 8008,
  bind: '127.0.0.1',
  federationAllow: [],
  federationPort: 8448,
  relaxedRateLimits: false,
  topology: 'single',
  genericWorkers: 1,
});

/** A parsed PostgreSQL connection URL. */
export interface PostgresUrl {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}

// Synapse's server_name grammar: a DNS name or IPv4 literal, lower case, optional port.
const SERVER_NAME_RE =
  /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/;

/** Checks a Matrix server name; `where` names the option or file key for the error message. */
export function validateServerName(value: string, where: string): string {
  if (!SERVER_NAME_RE.test(value)) {
    throw new KitError(
      `${where}: "${value}" is not a valid server name (lower-case host name, optional :port)`,
    );
  }
  return value;
}

/** Checks a TCP port number given as a number or a string. */
export function validatePort(value: unknown, where: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new KitError(`${where}: "${String(value)}" is not a port number (1-65535)`);
  }
  return n;
}

/** Checks a bind address (an IPv4 or IPv6 literal). */
export function validateBind(value: string, where: string): string {
  if (isIP(value) === 0) throw new KitError(`${where}: "${value}" is not an IP address`);
  return value;
}

/** Splits and checks a comma-separated federation allow-list. */
export function parseFederationAllow(value: string | readonly string[], where: string): string[] {
  const items = (typeof value === 'string' ? value.split(',') : [...value])
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) validateServerName(item, where);
  return [...new Set(items)];
}

/** Parses `postgres://user[:password]@host[:port]/database`. */
export function parsePostgresUrl(value: string, where: string): PostgresUrl {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new KitError(`${where}: not a URL (expected postgres://user@host:port/database)`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new KitError(`${where}: unsupported scheme "${url.protocol}" (expected postgres://)`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname || !database || database.includes('/')) {
    throw new KitError(
      `${where}: needs a host and a database name (postgres://user@host:port/database)`,
    );
  }
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? validatePort(url.port, where) : 5432,
    user: url.username ? decodeURIComponent(url.username) : 'postgres',
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    database,
  };
}

/** Builds the URL back; without `withPassword` the password is left out, for `kit.yaml` and logs. */
export function formatPostgresUrl(pg: PostgresUrl, opts: { withPassword?: boolean } = {}): string {
  const host = pg.host.includes(':') ? `[${pg.host}]` : pg.host;
  const password =
    opts.withPassword && pg.password !== undefined ? `:${encodeURIComponent(pg.password)}` : '';
  return `postgres://${encodeURIComponent(pg.user)}${password}@${host}:${pg.port}/${encodeURIComponent(pg.database)}`;
}

/** The URL without its password, as stored in `kit.yaml`. */
export function postgresUrlWithoutPassword(pg: PostgresUrl): string {
  return formatPostgresUrl(pg);
}

type KeyChecker = (value: unknown, where: string) => unknown;

const asBool: KeyChecker = (v, where) => {
  if (typeof v !== 'boolean') throw new KitError(`${where}: expected true or false`);
  return v;
};
const asString: KeyChecker = (v, where) => {
  if (typeof v !== 'string') throw new KitError(`${where}: expected a string`);
  return v;
};

const KEY_CHECKERS: Record<keyof KitConfig, KeyChecker> = {
  serverName: (v, w) => validateServerName(asString(v, w) as string, w),
  port: validatePort,
  bind: (v, w) => validateBind(asString(v, w) as string, w),
  databaseUrl: (v, w) => {
    const s = asString(v, w) as string;
    const pg = parsePostgresUrl(s, w);
    if (pg.password)
      throw new KitError(`${w}: must not carry a password (it is kept in secrets/pgpass)`);
    return s;
  },
  federationAllow: (v, w) => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      throw new KitError(`${w}: expected a list of server names`);
    return parseFederationAllow(v, w);
  },
  federationPort: validatePort,
  relaxedRateLimits: asBool,
  topology: validateTopology,
  genericWorkers: validateWorkerCount,
};

/**
 * Parses the text of a `kit.yaml`. Errors name the file, the line and the key, so a hand-edited
 * file that went wrong is easy to fix.
 */
export function parseKitConfig(text: string, file: string): Partial<KitConfig> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError) {
    const pos = lines.linePos(firstError.pos[0]);
    throw new KitError(
      `${file}:${pos.line}:${pos.col}: not valid YAML: ${firstError.message.split('\n')[0]}`,
    );
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents))
    throw new KitError(`${file}: expected a mapping of settings (key: value)`);

  const out: Record<string, unknown> = {};
  for (const pair of doc.contents.items as Pair[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const offset = isScalar(pair.key) && pair.key.range ? pair.key.range[0] : 0;
    const where = `${file}:${lines.linePos(offset).line}: ${key}`;
    if (!Object.hasOwn(KEY_CHECKERS, key)) {
      throw new KitError(
        `${where}: unknown setting (known: ${Object.keys(KEY_CHECKERS).join(', ')})`,
      );
    }
    const value: unknown = isScalar(pair.value)
      ? pair.value.value
      : (pair.value as { toJSON(): unknown } | null)?.toJSON();
    out[key] = KEY_CHECKERS[key as keyof KitConfig](value, where);
  }
  return out as Partial<KitConfig>;
}

/** Serialises kit settings for `kit.yaml`, with a header saying what the file is. */
export function renderKitConfig(config: KitConfig): string {
  const body: Record<string, unknown> = {
    serverName: config.serverName,
    port: config.port,
    bind: config.bind,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    federationAllow: config.federationAllow,
    federationPort: config.federationPort,
    relaxedRateLimits: config.relaxedRateLimits,
    topology: config.topology,
    genericWorkers: config.genericWorkers,
  };
  const lines = Object.entries(body).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return [
    '# Hongyan homeserver kit settings for this instance.',
    '# Written by `npm run hs -- start`; command-line options override and update it.',
    '# homeserver.yaml is generated from it on every start: put Synapse overrides in conf.d/*.yaml.',
    ...lines,
    '',
  ].join('\n');
}

/**
 * Combines stored settings with command-line options. The server name is fixed once an instance
 * exists, because every user and room ID already carries it.
 */
export function mergeKitConfig(
  stored: Partial<KitConfig> | undefined,
  cli: Partial<KitConfig>,
): KitConfig {
  if (stored?.serverName && cli.serverName && cli.serverName !== stored.serverName) {
    throw new KitError(
      `--server-name ${cli.serverName}: this instance was created as "${stored.serverName}"; ` +
        'a server name cannot change once users and rooms exist (use `reset` to start over)',
    );
  }
  const merged: KitConfig = {
    ...KIT_DEFAULTS,
    federationAllow: [],
    ...stored,
    ...dropUndefined(cli),
  };
  if (merged.federationAllow.length > 0 && merged.federationPort === merged.port) {
    throw new KitError(`--federation-port ${merged.federationPort}: must differ from --port`);
  }
  return merged;
}

/**
 * Which of the `given` settings differ from `current` (a database URL compares without its
 * password). Used to refuse changing the settings of a running instance.
 */
export function changedSettings(current: KitConfig, given: Partial<KitConfig>): string[] {
  const changed: string[] = [];
  for (const [key, value] of Object.entries(given) as Array<[keyof KitConfig, unknown]>) {
    if (value === undefined) continue;
    const normalised =
      key === 'databaseUrl'
        ? formatPostgresUrl(parsePostgresUrl(String(value), '--database-url'))
        : value;
    if (JSON.stringify(normalised) !== JSON.stringify(current[key])) changed.push(key);
  }
  return changed;
}

function dropUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
