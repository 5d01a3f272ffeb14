import type { HongyanBridge, SecretKey } from '../../../shared/ipc/contract';
import { checkExternalUrl } from './external-link';
import type { DeepLink } from '../../../shared/ipc/deep-link';
import { DEEP_LINK_SCHEME } from '../../../shared/ipc/deep-link';
import {
  protectionFromBackend,
  type DesktopSettings,
  type Platform,
  type SecretsProtection,
} from './platform';
import type { SecretVault } from './secret-vault';

/** Secrets sealed by the main process with the OS keyring (`safeStorage`). */
class BridgeSecretVault implements SecretVault {
  constructor(private readonly bridge: HongyanBridge) {}
  async get(key: SecretKey): Promise<string | null> {
    return (await this.bridge.invoke('secrets:get', { key })).value;
  }
  async set(key: SecretKey, value: string): Promise<void> {
    const res = await this.bridge.invoke('secrets:set', { key, value });
    if (!res.ok) throw new Error(`secret ${key} not stored: ${res.reason}`);
  }
  async delete(key: SecretKey): Promise<void> {
    await this.bridge.invoke('secrets:delete', { key });
  }
}

/** The desktop shell: every privileged action goes through the typed preload bridge. */
export class DesktopPlatform implements Platform {
  readonly kind = 'desktop' as const;
  readonly secrets: SecretVault;
  readonly desktopSettings: DesktopSettings;
  private readonly clickListeners = new Set<(roomId: string) => void>();

  constructor(private readonly bridge: HongyanBridge) {
    this.secrets = new BridgeSecretVault(bridge);
    this.desktopSettings = {
      contentProtection: () => bridge.invoke('contentProtection:get'),
      setContentProtection: (enabled) => bridge.invoke('contentProtection:set', { enabled }),
      loginItem: () => bridge.invoke('loginItem:get'),
      setLoginItem: (openAtLogin) => bridge.invoke('loginItem:set', { openAtLogin }),
    };
    bridge.on('notification:clicked', ({ roomId }) =>
      this.clickListeners.forEach((l) => l(roomId)),
    );
  }

  async passwordLoginAllowed(): Promise<boolean> {
    return (await this.bridge.invoke('config:get')).settings.passwordLogin.value;
  }
  ssoRedirectUrl(): string {
    return `${DEEP_LINK_SCHEME}://sso-callback`;
  }
  async startSso(url: string): Promise<void> {
    if (!(await this.openExternal(url))) throw new Error('the system browser could not be opened');
  }
  onSsoLoginToken(listener: (loginToken: string) => void): () => void {
    const handle = (link: DeepLink) => {
      if (link.kind === 'sso-callback') listener(link.loginToken);
    };
    const off = this.bridge.on('deep-link:opened', handle);
    void this.bridge
      .invoke('deepLinks:takePending')
      .then((links) => links.forEach(handle))
      .catch(() => undefined);
    return off;
  }

  async notificationTextAllowed(): Promise<boolean> {
    return (await this.bridge.invoke('config:get')).settings.notificationText.value;
  }
  async watermarkRequired(): Promise<boolean> {
    return (await this.bridge.invoke('config:get')).settings.watermark.value;
  }

  async secretsProtection(): Promise<SecretsProtection> {
    return protectionFromBackend(await this.bridge.invoke('secrets:backend'));
  }
  async consentToWeakSecrets(): Promise<void> {
    await this.bridge.invoke('secrets:consentPlaintext');
  }
  async openExternal(url: string): Promise<boolean> {
    const checked = checkExternalUrl(url);
    if (!checked.ok) return false;
    return (await this.bridge.invoke('links:openExternal', { url: checked.url })).opened;
  }
  async saveFile(data: Uint8Array<ArrayBuffer>, suggestedName: string): Promise<void> {
    const res = await this.bridge.invoke('files:save', { data, suggestedName });
    if (!res.saved && res.reason === 'failed') throw new Error(`could not save ${suggestedName}`);
  }
  async notify(params: { title: string; body: string; roomId: string }): Promise<void> {
    await this.bridge.invoke('notifications:show', params);
  }
  onNotificationClick(listener: (roomId: string) => void): () => void {
    this.clickListeners.add(listener);
    return () => this.clickListeners.delete(listener);
  }
  async setBadgeCount(count: number): Promise<void> {
    await this.bridge.invoke('badge:setUnreadCount', { count });
  }
  async wipeLocalSecrets(): Promise<void> {
    await Promise.all([this.secrets.delete('session'), this.secrets.delete('crypto-store-key')]);
  }
}
