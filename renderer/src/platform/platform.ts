import type {
  ContentProtectionState,
  HongyanBridge,
  LoginItemState,
  SecretsBackendInfo,
} from '../../../shared/ipc/contract';
import type { SecretVault, WebSecretVault } from './secret-vault';

declare global {
  interface Window {
    /** The desktop shell's preload bridge; absent in web mode. */
    hongyan?: HongyanBridge;
  }
}

/** How well secrets are protected on this machine, as the user is told. */
export interface SecretsProtection {
  /** `os`: OS keyring; `browser`: WebCrypto key in the browser profile; `weak`/`none`: see below. */
  level: 'os' | 'browser' | 'weak' | 'none';
  /** True when the user must agree before the session is stored (Linux without a keyring). */
  needsConsent: boolean;
}

/**
 * How a new session is kept between page loads, as the user chose at sign-in (web mode only):
 * under the browser's device key, under a passphrase asked at every start, or not at all
 * (不保存登录: nothing written, gone when the page closes).
 */
export type SessionKeeping =
  { mode: 'device' } | { mode: 'passphrase'; passphrase: string } | { mode: 'session' };

/** Settings only the desktop shell has, each answered with its state after the change. */
export interface DesktopSettings {
  contentProtection(): Promise<ContentProtectionState>;
  setContentProtection(enabled: boolean): Promise<ContentProtectionState>;
  loginItem(): Promise<LoginItemState>;
  setLoginItem(openAtLogin: boolean): Promise<LoginItemState>;
}

/**
 * Everything that differs between the desktop shell and a plain browser. The app talks to this
 * interface only; `createPlatform()` picks the implementation.
 */
export interface Platform {
  readonly kind: 'desktop' | 'web';
  readonly secrets: SecretVault;
  /** Web mode's vault, which offers the {@link SessionKeeping} choices; absent on the desktop. */
  readonly webVault?: WebSecretVault;
  secretsProtection(): Promise<SecretsProtection>;
  /** The user accepted weak protection after being told what it means. */
  consentToWeakSecrets(): Promise<void>;
  /** Opens a link outside the app after checking it; resolves false when refused. */
  openExternal(url: string): Promise<boolean>;
  /** Lets the user save bytes as a file (desktop: save dialog in the main process; web: download). */
  saveFile(data: Uint8Array<ArrayBuffer>, suggestedName: string, mimeType?: string): Promise<void>;
  /** Shows a notification; clicking it calls the `onNotificationClick` listeners with the room ID. */
  notify(params: { title: string; body: string; roomId: string }): Promise<void>;
  onNotificationClick(listener: (roomId: string) => void): () => void;
  /** Sets the unread badge (desktop: tray/dock; web: the document title). */
  setBadgeCount(count: number): Promise<void>;
  /**
   * Whether the deployment asks for a visible watermark with the user's name and ID (to trace
   * photographs and screenshots of the screen). Desktop: the layered deployment config; web: config.json.
   */
  watermarkRequired(): Promise<boolean>;
  /**
   * Whether the deployment lets OS notifications show message text (desktop: `notificationText`
   * of the deployment config, which the main process also enforces; web: always).
   */
  notificationTextAllowed(): Promise<boolean>;
  /** The desktop shell's own settings; absent in web mode. */
  readonly desktopSettings?: DesktopSettings;
  /** Whether the deployment allows username-and-password sign-in (false: single sign-on only). */
  passwordLoginAllowed(): Promise<boolean>;
  /** Where the homeserver sends the browser back after single sign-on (the app's own callback). */
  ssoRedirectUrl(): string;
  /**
   * Sends the user to the identity platform: web mode navigates this tab; the desktop app opens the
   * system browser (never an embedded login window) and gets the token back by deep link.
   */
  startSso(url: string): Promise<void>;
  /** Login tokens handed back after single sign-on; a token that arrived before subscribing is replayed. */
  onSsoLoginToken(listener: (loginToken: string) => void): () => void;
  /** Deletes every locally kept secret and database this platform holds for the app (logout). */
  wipeLocalSecrets(): Promise<void>;
}

/** Maps the shell's backend report to what the user is told. */
export function protectionFromBackend(info: SecretsBackendInfo): SecretsProtection {
  return { level: info.protection, needsConsent: info.needsConsent };
}
