import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { LineCounter, isMap, parseDocument } from 'yaml';
import { buildSynapseConfig, clientBaseUrl, renderHomeserverYaml } from './config-builder';
import { HARDENED_SETTINGS } from './synapse-policy';
import { KitError } from './errors';
import type { KitConfig, PostgresUrl } from './kit-config';
import {
  mergeKitConfig,
  parseKitConfig,
  parsePostgresUrl,
  postgresUrlWithoutPassword,
  renderKitConfig,
} from './kit-config';
import type { InstancePaths } from './paths';
import type { IdentitySettings } from './identity/synapse-identity';
import { instancePaths } from './paths';
import { ensureSecrets, writeOwnerOnly } from './secrets';

/** One kit instance: a data directory with its settings, secrets, database and logs. */
export interface HomeserverInstance {
  /** Files of the instance. */
  paths: InstancePaths;
  /** Its kit settings (as in `kit.yaml`). */
  config: KitConfig;
  /** Matrix server name. */
  serverName: string;
  /** Client-API base URL on this machine, e.g. `http://127.0.0.1:8008`. */
  baseUrl: string;
  /** Parsed PostgreSQL target, or undefined on SQLite. */
  postgres?: PostgresUrl & { passfile?: string };
}

/** Options of {@link prepareInstance}. */
export interface PrepareInstanceOptions {
  /** The instance data directory (created when missing). */
  dataDir: string;
  /**
   * Settings given on the command line or by the caller; they override `kit.yaml` and are saved
   * there. A `databaseUrl` may carry a password: it goes to `secrets/pgpass`, never to `kit.yaml`.
   */
  settings?: Partial<KitConfig>;
  /** bcrypt cost for password hashes (Synapse's default 12 when absent); lower only for throwaway test data. */
  bcryptRounds?: number;
  /** Lifetime of refreshable access tokens (see `BuildSynapseConfigInput`); tests shorten it. */
  accessTokenLifetime?: string;
  /** Single sign-on and LDAP sign-in settings (written into homeserver.yaml on every start). */
  identity?: IdentitySettings;
  /** Notices (e.g. a conf.d file overriding a hardened setting). Defaults to stderr. */
  warn?: (message: string) => void;
}

async function loadStoredConfig(paths: InstancePaths): Promise<Partial<KitConfig> | undefined> {
  if (!existsSync(paths.kitConfig)) return undefined;
  return parseKitConfig(await readFile(paths.kitConfig, 'utf8'), paths.kitConfig);
}

function toInstance(paths: InstancePaths, config: KitConfig): HomeserverInstance {
  const postgres = config.databaseUrl
    ? parsePostgresUrl(config.databaseUrl, `${paths.kitConfig}: databaseUrl`)
    : undefined;
  return {
    paths,
    config,
    serverName: config.serverName,
    baseUrl: clientBaseUrl(config),
    ...(postgres
      ? {
          postgres: {
            ...postgres,
            ...(existsSync(paths.pgpass) ? { passfile: paths.pgpass } : {}),
          },
        }
      : {}),
  };
}

/**
 * Opens an existing instance from its `kit.yaml` (for stop, status, logs and the admin helpers).
 * Fails with a clear message when the directory holds no instance or its `kit.yaml` is broken.
 */
export async function openInstance(dataDir: string): Promise<HomeserverInstance> {
  const paths = instancePaths(dataDir);
  const stored = await loadStoredConfig(paths);
  if (!stored)
    throw new KitError(
      `No homeserver instance in ${paths.dataDir} (no kit.yaml); run \`start\` first`,
      { code: 'not-running' },
    );
  return toInstance(paths, mergeKitConfig(stored, {}));
}

/** What the operator's `conf.d/*.yaml` files change. */
export interface ConfOverrides {
  /** The override files, in the order Synapse applies them. */
  files: string[];
  /** Hardened settings that a file sets to another value, with the file that does it. */
  hardenedOverrides: Array<{ key: string; file: string }>;
}

/** Reads each `conf.d/*.yaml`, failing on a file that is not valid YAML and naming its line. */
export async function readConfOverrides(paths: InstancePaths): Promise<ConfOverrides> {
  const result: ConfOverrides = { files: [], hardenedOverrides: [] };
  if (!existsSync(paths.confDir)) return result;
  const names = (await readdir(paths.confDir)).filter((f) => f.endsWith('.yaml')).sort();
  for (const name of names) {
    const file = path.join(paths.confDir, name);
    const lines = new LineCounter();
    const doc = parseDocument(await readFile(file, 'utf8'), {
      lineCounter: lines,
      prettyErrors: false,
    });
    const err = doc.errors[0];
    if (err) {
      const pos = lines.linePos(err.pos[0]);
      throw new KitError(
        `${file}:${pos.line}:${pos.col}: not valid YAML: ${err.message.split('\n')[0]}`,
        { code: 'synapse-config' },
      );
    }
    result.files.push(file);
    if (doc.contents === null) continue;
    if (!isMap(doc.contents))
      throw new KitError(`${file}: expected a mapping of Synapse settings (key: value)`, {
        code: 'synapse-config',
      });
    const values = doc.toJSON() as Record<string, unknown>;
    for (const [key, value] of Object.entries(values)) {
      if (
        Object.hasOwn(HARDENED_SETTINGS, key) &&
        !isDeepStrictEqual(value, HARDENED_SETTINGS[key])
      ) {
        result.hardenedOverrides.push({ key, file });
      }
    }
  }
  return result;
}

/**
 * Loads or creates an instance: merges settings into `kit.yaml`, generates missing secrets and
 * writes `homeserver.yaml` from the config builder. Nothing is started.
 */
export async function prepareInstance(opts: PrepareInstanceOptions): Promise<HomeserverInstance> {
  const warn = opts.warn ?? ((m: string) => process.stderr.write(`${m}\n`));
  const paths = instancePaths(opts.dataDir);
  await mkdir(paths.dataDir, { recursive: true, mode: 0o700 });
  await chmod(paths.dataDir, 0o700);

  const settings: Partial<KitConfig> = { ...opts.settings };
  let postgresWithPassword: PostgresUrl | undefined;
  if (settings.databaseUrl) {
    postgresWithPassword = parsePostgresUrl(settings.databaseUrl, '--database-url');
    settings.databaseUrl = postgresUrlWithoutPassword(postgresWithPassword);
  }
  const stored = await loadStoredConfig(paths);
  const config = mergeKitConfig(stored, settings);
  const kitText = renderKitConfig(config);
  const previous = existsSync(paths.kitConfig)
    ? await readFile(paths.kitConfig, 'utf8')
    : undefined;
  if (previous !== kitText) await writeFile(paths.kitConfig, kitText, { mode: 0o644 });

  const { hasPgpass } = await ensureSecrets(
    paths,
    postgresWithPassword ? { postgres: postgresWithPassword } : {},
  );

  const overrides = await readConfOverrides(paths);
  for (const { key, file } of overrides.hardenedOverrides)
    warn(`Warning: ${file} overrides the hardened setting ${key}.`);
  if (config.relaxedRateLimits)
    warn(
      'Warning: relaxed rate limits are on. Use them for tests and benchmarks only, never in production.',
    );
  if (!isLoopback(config.bind)) {
    warn(
      `Warning: the client listener binds to ${config.bind}, so /_synapse/admin is reachable there too. ` +
        'In production keep Synapse on loopback behind a reverse proxy that forwards only /_matrix and /_synapse/client.',
    );
  }

  const synapseConfig = buildSynapseConfig({
    kit: config,
    paths,
    hasPgpass,
    ...(opts.bcryptRounds === undefined ? {} : { bcryptRounds: opts.bcryptRounds }),
    ...(opts.accessTokenLifetime ? { accessTokenLifetime: opts.accessTokenLifetime } : {}),
    ...(opts.identity ? { identity: opts.identity } : {}),
  });
  await writeOwnerOnly(paths.homeserverYaml, renderHomeserverYaml(synapseConfig));
  return toInstance(paths, config);
}

/** Whether an address is a loopback address. */
export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.');
}
