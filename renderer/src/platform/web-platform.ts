import { checkExternalUrl } from './external-link';
import type { Platform, SecretsProtection } from './platform';
import { WebSecretVault } from './secret-vault';
import { takeLoginTokenFromLocation } from '../matrix/sso-login';

/** A plain browser: WebCrypto-sealed secrets, the Notification API, blob downloads. */
export class WebPlatform implements Platform {
  readonly kind = 'web' as const;
  readonly secrets: WebSecretVault;
  readonly webVault: WebSecretVault;
  private readonly clickListeners = new Set<(roomId: string) => void>();
  private readonly baseTitle = document.title;

  constructor(
    factory: IDBFactory = indexedDB,
    private readonly watermark = false,
    private readonly passwordLogin = true,
  ) {
    this.secrets = new WebSecretVault(factory);
    this.webVault = this.secrets;
    // The token goes from the address bar and history before anything else runs.
    this.ssoToken = takeLoginTokenFromLocation(window.location, (url) =>
      window.history.replaceState(window.history.state, '', url),
    );
  }

  private ssoToken: string | null;

  async passwordLoginAllowed(): Promise<boolean> {
    return this.passwordLogin;
  }
  ssoRedirectUrl(): string {
    const url = new URL(window.location.href);
    url.search = '';
    url.hash = '';
    return url.toString();
  }
  async startSso(url: string): Promise<void> {
    window.location.assign(url);
  }
  onSsoLoginToken(listener: (loginToken: string) => void): () => void {
    const token = this.ssoToken;
    this.ssoToken = null;
    if (token) queueMicrotask(() => listener(token));
    return () => undefined;
  }

  async notificationTextAllowed(): Promise<boolean> {
    return true;
  }
  async watermarkRequired(): Promise<boolean> {
    return this.watermark;
  }

  async secretsProtection(): Promise<SecretsProtection> {
    return { level: 'browser', needsConsent: false };
  }
  async consentToWeakSecrets(): Promise<void> {}

  async openExternal(url: string): Promise<boolean> {
    const checked = checkExternalUrl(url);
    if (!checked.ok) return false;
    // noopener+noreferrer: the opened page gets no handle on this window and no Referer.
    window.open(checked.url, '_blank', 'noopener,noreferrer');
    return true;
  }

  async saveFile(
    data: Uint8Array<ArrayBuffer>,
    suggestedName: string,
    mimeType = 'application/octet-stream',
  ): Promise<void> {
    const url = URL.createObjectURL(new Blob([data], { type: mimeType }));
    try {
      const a = document.createElement('a');
      a.href = url;
      a.download = safeFileName(suggestedName);
      a.rel = 'noopener';
      document.body.append(a);
      a.click();
      a.remove();
    } finally {
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }
  }

  async notify(params: { title: string; body: string; roomId: string }): Promise<void> {
    if (typeof Notification === 'undefined') return;
    if (Notification.permission === 'default') await Notification.requestPermission();
    if (Notification.permission !== 'granted') return;
    const n = new Notification(params.title, { body: params.body, tag: params.roomId });
    n.onclick = () => {
      window.focus();
      this.clickListeners.forEach((l) => l(params.roomId));
      n.close();
    };
  }
  onNotificationClick(listener: (roomId: string) => void): () => void {
    this.clickListeners.add(listener);
    return () => this.clickListeners.delete(listener);
  }
  async setBadgeCount(count: number): Promise<void> {
    document.title = count > 0 ? `(${count}) ${this.baseTitle}` : this.baseTitle;
  }
  async wipeLocalSecrets(): Promise<void> {
    await this.secrets.destroy();
  }
}

/** A download name without path separators, reserved characters or control characters. */
function safeFileName(name: string): string {
  const cleaned = Array.from(name, (ch) =>
    ch.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(ch) ? '_' : ch,
  ).join('');
  return cleaned.trim() || 'download';
}
