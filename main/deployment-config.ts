/**
 * Loads the deployment config once at start-up, in layers:
 * defaults → system-wide file → file next to the executable → user file (userData) → command line.
 * A value enforced by a system-wide file wins over the user file and the command line.
 * A broken or unreadable file is reported (to the log and, through `config:get`, to the user) and
 * skipped whole; the app goes on with the other layers.
 */
import { posix, win32 } from 'node:path';
import {
  mergeConfigLayers,
  parseConfigLayer,
  type ConfigLayer,
  type ConfigProblem,
  type DeploymentConfigSnapshot,
  type EffectiveConfig,
  type LayerSource,
} from '../shared/config/deployment-config';
import { originOfHttpUrl } from '../shared/config/transport';
import type { IpcRegistry } from './ipc';
import { readJsonFileSync } from './json-file';
import type { Logger } from './logger';

/** A config file and the layer it feeds. */
export interface ConfigFileLocation {
  source: Extract<LayerSource, 'system' | 'portable' | 'user'>;
  path: string;
}

/** Name of the optional file next to the executable (portable or per-install deployments). */
export const PORTABLE_CONFIG_FILE = 'hongyan-config.json';

/** Where the config files are looked for on this platform, in layer order. */
export function configFileLocations(params: {
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
  exePath: string;
  userDataPath: string;
}): ConfigFileLocation[] {
  const { platform, env, exePath, userDataPath } = params;
  const path = platform === 'win32' ? win32 : posix;
  let systemPath: string;
  if (platform === 'win32') {
    systemPath = win32.join(env['ProgramData'] ?? 'C:\\ProgramData', 'Hongyan', 'config.json');
  } else if (platform === 'darwin') {
    systemPath = '/Library/Application Support/Hongyan/config.json';
  } else {
    systemPath = '/etc/hongyan/config.json';
  }
  return [
    { source: 'system', path: systemPath },
    { source: 'portable', path: path.join(path.dirname(exePath), PORTABLE_CONFIG_FILE) },
    { source: 'user', path: path.join(userDataPath, 'config.json') },
  ];
}

const FLAG_SETTINGS = {
  '--hongyan-homeserver': 'homeserverUrl',
  '--hongyan-watermark': 'watermark',
  '--hongyan-content-protection': 'contentProtection',
  '--hongyan-update-url': 'updateUrl',
  '--hongyan-close-to-tray': 'closeToTray',
} as const;
type ConfigFlag = keyof typeof FLAG_SETTINGS;
const BOOLEAN_FLAGS: ReadonlySet<string> = new Set([
  '--hongyan-watermark',
  '--hongyan-content-protection',
  '--hongyan-close-to-tray',
]);

function isConfigFlag(name: string): name is ConfigFlag {
  return Object.hasOwn(FLAG_SETTINGS, name);
}

/**
 * Turns `--hongyan-<setting>=<value>` arguments into a raw layer object (validated like a file).
 * Booleans take on/off/true/false; other `--hongyan-*` flags belong to other modules and are ignored.
 */
export function commandLineSettings(argv: readonly string[]): {
  raw: Record<string, unknown>;
  problems: string[];
} {
  const raw: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const arg of argv) {
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!isConfigFlag(name)) continue;
    if (eq === -1) {
      problems.push(`${name} needs a value (${name}=...)`);
      continue;
    }
    const value = arg.slice(eq + 1);
    const setting = FLAG_SETTINGS[name];
    if (BOOLEAN_FLAGS.has(name)) {
      const lowered = value.toLowerCase();
      if (lowered === 'on' || lowered === 'true') raw[setting] = true;
      else if (lowered === 'off' || lowered === 'false') raw[setting] = false;
      else problems.push(`${name} must be on or off`);
    } else {
      raw[setting] = value === '' ? null : value;
    }
  }
  return { raw, problems };
}

/** The loaded config. The renderer reads it; nothing in the app writes it. */
export interface DeploymentConfigStore {
  /** Effective settings and every problem met while loading. */
  snapshot(): DeploymentConfigSnapshot;
  /** Origins the renderer may connect to (the homeserver's), for the CSP. */
  connectOrigins(): string[];
}

/** Reads every layer and returns the store. Never throws for bad input: problems are collected. */
export function loadDeploymentConfig(params: {
  locations: readonly ConfigFileLocation[];
  argv: readonly string[];
  logger: Logger;
}): DeploymentConfigStore {
  const { locations, argv, logger } = params;
  const problems: ConfigProblem[] = [];
  const fileLayers: ConfigLayer[] = [];

  for (const location of locations) {
    const read = readJsonFileSync(location.path);
    if (read.kind === 'missing') continue;
    if (read.kind === 'error') {
      problems.push({ source: location.source, origin: location.path, message: read.message });
      continue;
    }
    const parsed = parseConfigLayer({
      raw: read.value,
      source: location.source,
      origin: location.path,
    });
    if (!parsed.ok) {
      problems.push(
        ...parsed.problems.map((p) => ({ ...p, message: `${p.origin}: ${p.message}` })),
      );
      continue;
    }
    fileLayers.push(parsed.layer);
  }

  const cli = commandLineSettings(argv);
  let cliLayer: ConfigLayer | null = null;
  problems.push(
    ...cli.problems.map((message) => ({
      source: 'command-line' as const,
      origin: 'command line',
      message,
    })),
  );
  if (Object.keys(cli.raw).length > 0) {
    const parsed = parseConfigLayer({
      raw: cli.raw,
      source: 'command-line',
      origin: 'command line',
    });
    if (parsed.ok) cliLayer = parsed.layer;
    else
      problems.push(
        ...parsed.problems.map((p) => ({ ...p, message: `command line: ${p.message}` })),
      );
  }

  for (const problem of problems)
    logger.error(`config problem (layer skipped): ${problem.message}`);

  const effective: EffectiveConfig = mergeConfigLayers([
    ...fileLayers,
    ...(cliLayer ? [cliLayer] : []),
  ]);

  return {
    snapshot: () => ({
      settings: structuredClone(effective),
      problems: problems.map((p) => ({ ...p })),
    }),
    connectOrigins: () =>
      effective.homeserverUrl.value ? [originOfHttpUrl(effective.homeserverUrl.value)] : [],
  };
}

/** Registers `config:get`. */
export function setupDeploymentConfigIpc(params: {
  registry: IpcRegistry;
  config: DeploymentConfigStore;
}): void {
  params.registry.handle('config:get', () => params.config.snapshot());
}
