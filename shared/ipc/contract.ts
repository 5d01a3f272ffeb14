/**
 * The one IPC contract between the renderer and the main process.
 *
 * - {@link InvokeContract}: renderer → main requests (`ipcRenderer.invoke` style), each channel with its
 *   request and response type, and a runtime validator for the request ({@link INVOKE_REQUEST_VALIDATORS}),
 *   because a compromised renderer can send anything.
 * - {@link EventContract}: main → renderer events.
 * - {@link HongyanBridge}: the object the preload exposes as `window.hongyan`; its presence tells the
 *   renderer it runs in the desktop shell.
 */
import type { DeploymentConfigSnapshot } from '../config/deployment-config';
import type { DeepLink } from './deep-link';
import { isRoomId } from './matrix-ids';

/** Names of the secrets the renderer may keep in the OS-protected store. */
export const SECRET_KEYS = ['session', 'crypto-store-key'] as const;
/** One secret's name. */
export type SecretKey = (typeof SECRET_KEYS)[number];

/** Largest secret value accepted, in UTF-16 code units. */
export const MAX_SECRET_LENGTH = 64 * 1024;
/** Largest file the renderer may hand over for saving. */
export const MAX_SAVE_BYTES = 512 * 1024 * 1024;
/** Longest notification title / body accepted (longer ones are refused, not truncated silently). */
export const MAX_NOTIFICATION_TITLE = 256;
export const MAX_NOTIFICATION_BODY = 2048;

/**
 * How secrets are protected on this machine.
 * - `os`: sealed by the OS keyring (Keychain, DPAPI, libsecret, KWallet).
 * - `weak`: Linux without a keyring (`basic_text`): sealed with a key stored beside the data, i.e.
 *   obfuscated, not protected. Writing requires the user's consent.
 * - `none`: stored unsealed, because `--hongyan-plaintext-secrets` was given (test machines) or,
 *   with consent, because no encryption is available at all.
 */
export interface SecretsBackendInfo {
  backend:
    | 'keychain'
    | 'dpapi'
    | 'gnome_libsecret'
    | 'kwallet'
    | 'kwallet5'
    | 'kwallet6'
    | 'basic_text'
    | 'plaintext'
    | 'unavailable'
    | 'unknown';
  protection: 'os' | 'weak' | 'none';
  /** True while writes are refused until the user consents to weak or no protection. */
  needsConsent: boolean;
  /** True once the user consented (remembered across restarts). */
  consented: boolean;
}

/** Why a secret write was refused. */
export type SecretsWriteRefusal = 'consent-required' | 'too-large' | 'failed';

/** A content-protection state and whether an administrator locked it. */
export interface ContentProtectionState {
  enabled: boolean;
  enforced: boolean;
}

/** Open-at-login state; `supported` is false where the shell cannot manage it. */
export interface LoginItemState {
  openAtLogin: boolean;
  supported: boolean;
}

/**
 * Every renderer → main request: channel → request and response types. Only channels a renderer
 * calls are here: each one is surface a compromised page could reach (`main/ipc.test.ts` checks
 * that the renderer calls every channel).
 */
export interface InvokeContract {
  'config:get': { request: void; response: DeploymentConfigSnapshot };
  'secrets:backend': { request: void; response: SecretsBackendInfo };
  /** The user accepted weak or no protection after being told what it means. */
  'secrets:consentPlaintext': { request: void; response: SecretsBackendInfo };
  'secrets:get': { request: { key: SecretKey }; response: { value: string | null } };
  'secrets:set': {
    request: { key: SecretKey; value: string };
    response: { ok: true } | { ok: false; reason: SecretsWriteRefusal };
  };
  'secrets:delete': { request: { key: SecretKey }; response: { ok: true } };
  /** Shows an OS notification; clicking it emits `notification:clicked` with the room ID. */
  'notifications:show': {
    request: { title: string; body: string; roomId: string };
    response: { shown: boolean };
  };
  /** Total unread count for the tray, dock and taskbar badge; 0 clears it. */
  'badge:setUnreadCount': { request: { count: number }; response: void };
  /** Opens an http(s) or mailto link in the user's browser or mail client, after checks. */
  'links:openExternal': {
    request: { url: string };
    response: { opened: true } | { opened: false; reason: string };
  };
  /** Shows a save dialog and writes the bytes; the suggested name is sanitised. */
  'files:save': {
    request: { data: Uint8Array; suggestedName: string };
    response: { saved: true; fileName: string } | { saved: false; reason: 'canceled' | 'failed' };
  };
  'contentProtection:get': { request: void; response: ContentProtectionState };
  /** Ignored (state returned unchanged) when an administrator enforces the setting. */
  'contentProtection:set': { request: { enabled: boolean }; response: ContentProtectionState };
  'loginItem:get': { request: void; response: LoginItemState };
  'loginItem:set': { request: { openAtLogin: boolean }; response: LoginItemState };
  /**
   * Deep links that arrived before the renderer was listening (e.g. the app was launched by an SSO
   * callback). Call once after subscribing to `deep-link:opened`; later links arrive as events.
   */
  'deepLinks:takePending': { request: void; response: DeepLink[] };
}

/** A renderer → main channel name. */
export type InvokeChannel = keyof InvokeContract;
/** Request type of a channel. */
export type InvokeRequest<C extends InvokeChannel> = InvokeContract[C]['request'];
/** Response type of a channel. */
export type InvokeResponse<C extends InvokeChannel> = InvokeContract[C]['response'];

/** Every main → renderer event: channel → payload. */
export interface EventContract {
  /** The user clicked a notification shown through `notifications:show`. */
  'notification:clicked': { roomId: string };
  /** A `hongyan://` link was opened while the renderer was listening. */
  'deep-link:opened': DeepLink;
}

/** A main → renderer event name. */
export type EventChannel = keyof EventContract;
/** Payload of an event. */
export type EventPayload<E extends EventChannel> = EventContract[E];

/** Every event channel (the preload subscribes to nothing else). */
export const EVENT_CHANNELS: readonly EventChannel[] = ['notification:clicked', 'deep-link:opened'];

type RequestValidator<C extends InvokeChannel> = (value: unknown) => value is InvokeRequest<C>;

function isRecord(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const actual = Object.keys(value);
  return actual.length === keys.length && keys.every((k) => actual.includes(k));
}

const isVoid = (value: unknown): value is void => value === undefined;
const isSecretKey = (value: unknown): value is SecretKey =>
  typeof value === 'string' && (SECRET_KEYS as readonly string[]).includes(value);
const isBoundedString = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length <= max;

/**
 * Runtime validators, one per channel: the main process runs the request through the channel's
 * validator before the handler sees it. The mapped type makes a missing channel a compile error.
 */
export const INVOKE_REQUEST_VALIDATORS: { [C in InvokeChannel]: RequestValidator<C> } = {
  'config:get': isVoid,
  'secrets:backend': isVoid,
  'secrets:consentPlaintext': isVoid,
  'secrets:get': (v): v is { key: SecretKey } => isRecord(v, ['key']) && isSecretKey(v['key']),
  'secrets:set': (v): v is { key: SecretKey; value: string } =>
    isRecord(v, ['key', 'value']) && isSecretKey(v['key']) && typeof v['value'] === 'string',
  'secrets:delete': (v): v is { key: SecretKey } => isRecord(v, ['key']) && isSecretKey(v['key']),
  'notifications:show': (v): v is { title: string; body: string; roomId: string } =>
    isRecord(v, ['title', 'body', 'roomId']) &&
    isBoundedString(v['title'], MAX_NOTIFICATION_TITLE) &&
    isBoundedString(v['body'], MAX_NOTIFICATION_BODY) &&
    isRoomId(v['roomId']),
  'badge:setUnreadCount': (v): v is { count: number } =>
    isRecord(v, ['count']) && Number.isSafeInteger(v['count']) && (v['count'] as number) >= 0,
  'links:openExternal': (v): v is { url: string } =>
    isRecord(v, ['url']) && isBoundedString(v['url'], 8192),
  'files:save': (v): v is { data: Uint8Array; suggestedName: string } =>
    isRecord(v, ['data', 'suggestedName']) &&
    v['data'] instanceof Uint8Array &&
    v['data'].byteLength <= MAX_SAVE_BYTES &&
    isBoundedString(v['suggestedName'], 1024),
  'contentProtection:get': isVoid,
  'contentProtection:set': (v): v is { enabled: boolean } =>
    isRecord(v, ['enabled']) && typeof v['enabled'] === 'boolean',
  'loginItem:get': isVoid,
  'loginItem:set': (v): v is { openAtLogin: boolean } =>
    isRecord(v, ['openAtLogin']) && typeof v['openAtLogin'] === 'boolean',
  'deepLinks:takePending': isVoid,
};

/** Every invoke channel, derived from the validator table so the two cannot drift apart. */
export const INVOKE_CHANNELS = Object.keys(INVOKE_REQUEST_VALIDATORS) as InvokeChannel[];

/** True when `name` is a channel of the contract (checked at runtime on both sides). */
export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.hasOwn(INVOKE_REQUEST_VALIDATORS, name);
}

/** True when `name` is an event channel of the contract. */
export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && (EVENT_CHANNELS as readonly string[]).includes(name);
}

/** Argument list of {@link HongyanBridge.invoke}: none for `void` requests. */
export type InvokeArgs<C extends InvokeChannel> =
  InvokeRequest<C> extends void ? [] : [request: InvokeRequest<C>];

/**
 * The desktop bridge, exposed by the preload as `window.hongyan`. The renderer declares
 * `window.hongyan?: HongyanBridge` and treats its absence as web mode.
 */
export interface HongyanBridge {
  /** Sends a request on a contract channel; rejects if the main process refuses it. */
  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeResponse<C>>;
  /** Subscribes to a main → renderer event; returns the function that unsubscribes. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void;
}
