/**
 * Deployment configuration of the desktop app: what an administrator can preset (and lock) for every
 * user of a machine. Pure types, defaults, validation and layering; reading files is the main process's
 * job (`main/deployment-config.ts`).
 *
 * A config file is a JSON object whose keys are settings. Each setting is either a bare value or
 * `{ "value": ..., "enforced": true }`. An enforced value from a system-wide file wins over the
 * user's file and the command line.
 */
import { DEFAULT_TIME_ZONE, isValidTimeZone } from './time-zone';
import { normaliseHttpUrl } from './transport';

/** Every setting a deployment can preset. */
export interface DeploymentSettings {
  /** Base URL of the homeserver (`https://matrix.example.gov.cn`); `null` lets the user type one. */
  homeserverUrl: string | null;
  /** Draw the user's name and ID as a watermark over the app. */
  watermark: boolean;
  /** Ask the OS to keep the window out of screenshots and screen sharing. */
  contentProtection: boolean;
  /** Where updates are published; `null` when updates are managed outside the app. */
  updateUrl: string | null;
  /** Closing the window hides it to the tray instead of quitting. */
  closeToTray: boolean;
  /** IANA zone every time is shown and entered in (`Asia/Shanghai`), whatever the machine's zone. */
  timeZone: string;
  /** Offer username-and-password sign-in; false leaves single sign-on (统一身份认证) only. */
  passwordLogin: boolean;
  /**
   * Show the message text in OS notifications. False keeps it off the lock screen and the
   * notification centre: only who wrote, and where, is shown.
   */
  notificationText: boolean;
}

/** Name of one setting. */
export type SettingName = keyof DeploymentSettings;

/** One setting's effective value and whether an administrator has locked it. */
export interface EffectiveSetting<T> {
  value: T;
  /** True when a system-wide file enforces the value; the UI must not offer to change it. */
  enforced: boolean;
}

/** The merged configuration, one entry per setting. */
export type EffectiveConfig = { [K in SettingName]: EffectiveSetting<DeploymentSettings[K]> };

/** Where a layer came from, in the order layers are applied. */
export type LayerSource = 'defaults' | 'system' | 'portable' | 'user' | 'command-line';

/** One validated layer: the settings it sets, and which of them it enforces. */
export interface ConfigLayer {
  source: LayerSource;
  /** File path or `command line`, for messages. */
  origin: string;
  values: Partial<DeploymentSettings>;
  enforced: ReadonlySet<SettingName>;
}

/** A problem with one layer. The layer is dropped whole; the app goes on with the others. */
export interface ConfigProblem {
  source: LayerSource;
  /** File path or `command line`. */
  origin: string;
  message: string;
}

/** What the renderer receives: effective settings plus every problem met while loading. */
export interface DeploymentConfigSnapshot {
  settings: EffectiveConfig;
  problems: ConfigProblem[];
}

/** Values used when no layer sets a setting. */
export const DEFAULT_SETTINGS: Readonly<DeploymentSettings> = Object.freeze({
  homeserverUrl: null,
  watermark: false,
  contentProtection: false,
  updateUrl: null,
  closeToTray: false,
  timeZone: DEFAULT_TIME_ZONE,
  passwordLogin: true,
  notificationText: true,
});

/**
 * Layers allowed to enforce a value: only the system-wide file, which only an administrator can
 * write. The file beside the executable may preset values but not lock them: a portable copy
 * lives where its user can write.
 */
const ENFORCING_SOURCES: ReadonlySet<LayerSource> = new Set(['system']);

type Validator<T> = (
  value: unknown,
  field: string,
) => { ok: true; value: T } | { ok: false; message: string };

const booleanSetting: Validator<boolean> = (value, field) =>
  typeof value === 'boolean'
    ? { ok: true, value }
    : { ok: false, message: `"${field}" must be true or false` };

function urlSetting(options: { allowLoopbackHttp: boolean }): Validator<string | null> {
  return (value, field) => {
    if (value === null) return { ok: true, value: null };
    if (typeof value !== 'string')
      return { ok: false, message: `"${field}" must be a URL string or null` };
    const normalised = normaliseHttpUrl(value, options);
    return normalised.ok
      ? { ok: true, value: normalised.value }
      : { ok: false, message: `"${field}": ${normalised.message}` };
  };
}

const timeZoneSetting: Validator<string> = (value, field) =>
  typeof value === 'string' && isValidTimeZone(value)
    ? { ok: true, value }
    : { ok: false, message: `"${field}" must be an IANA time zone such as "Asia/Shanghai"` };

const VALIDATORS: { [K in SettingName]: Validator<DeploymentSettings[K]> } = {
  homeserverUrl: urlSetting({ allowLoopbackHttp: true }),
  watermark: booleanSetting,
  contentProtection: booleanSetting,
  updateUrl: urlSetting({ allowLoopbackHttp: false }),
  closeToTray: booleanSetting,
  timeZone: timeZoneSetting,
  passwordLogin: booleanSetting,
  notificationText: booleanSetting,
};

/** Every setting name, in a stable order. */
export const SETTING_NAMES = Object.keys(DEFAULT_SETTINGS) as SettingName[];

function isSettingName(name: string): name is SettingName {
  return (SETTING_NAMES as string[]).includes(name);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates one parsed layer (a config file's JSON, or settings from the command line).
 * All problems are collected; a layer with any problem is not applied at all, so nothing is half-applied.
 */
export function parseConfigLayer(params: {
  raw: unknown;
  source: LayerSource;
  origin: string;
}): { ok: true; layer: ConfigLayer } | { ok: false; problems: ConfigProblem[] } {
  const { raw, source, origin } = params;
  const problem = (message: string): ConfigProblem => ({ source, origin, message });
  if (!isPlainObject(raw))
    return { ok: false, problems: [problem('the top level must be a JSON object')] };

  const values: Partial<Record<SettingName, unknown>> = {};
  const enforced = new Set<SettingName>();
  const problems: ConfigProblem[] = [];
  for (const [key, entry] of Object.entries(raw)) {
    if (key === '$schema' || key === '//') continue; // room for editor hints and comments
    if (!isSettingName(key)) {
      problems.push(problem(`unknown setting "${key}" (known: ${SETTING_NAMES.join(', ')})`));
      continue;
    }
    let value: unknown = entry;
    if (isPlainObject(entry)) {
      const extra = Object.keys(entry).filter((k) => k !== 'value' && k !== 'enforced');
      if (extra.length > 0)
        problems.push(problem(`"${key}" has unknown field(s) ${extra.join(', ')}`));
      if (!('value' in entry)) {
        problems.push(problem(`"${key}" is an object without "value"`));
        continue;
      }
      value = entry['value'];
      if (entry['enforced'] !== undefined) {
        if (typeof entry['enforced'] !== 'boolean') {
          problems.push(problem(`"${key}.enforced" must be true or false`));
        } else if (entry['enforced']) {
          if (ENFORCING_SOURCES.has(source)) enforced.add(key);
          else problems.push(problem(`"${key}.enforced" is only honoured in a system-wide file`));
        }
      }
    }
    const checked = VALIDATORS[key](value, key);
    if (checked.ok) values[key] = checked.value;
    else problems.push(problem(checked.message));
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    layer: { source, origin, values: values as Partial<DeploymentSettings>, enforced },
  };
}

/**
 * Applies layers in order (defaults first). A later layer overrides an earlier one, except that a
 * value enforced by a system-wide layer can only be replaced by another enforcing layer.
 */
export function mergeConfigLayers(layers: readonly ConfigLayer[]): EffectiveConfig {
  const result = Object.fromEntries(
    SETTING_NAMES.map((name) => [name, { value: DEFAULT_SETTINGS[name], enforced: false }]),
  ) as { [K in SettingName]: EffectiveSetting<unknown> };
  for (const layer of layers) {
    for (const name of SETTING_NAMES) {
      if (!(name in layer.values)) continue;
      const current = result[name];
      const enforcing = layer.enforced.has(name);
      if (current.enforced && !enforcing) continue;
      result[name] = { value: layer.values[name], enforced: enforcing || current.enforced };
    }
  }
  return result as EffectiveConfig;
}
