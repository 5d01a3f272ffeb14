/** `app:info`: name, version and platform, for the about box and for platform-specific UI. */
import type { AppInfo } from '../shared/ipc/contract';
import type { ElectronSeam } from './electron-seam';
import type { IpcRegistry } from './ipc';

/** Collects the app's facts once. */
export function appInfo(params: {
  electron: ElectronSeam;
  platform: string;
  arch: string;
  versions: Readonly<Record<string, string | undefined>>;
}): AppInfo {
  return {
    name: params.electron.app.getName(),
    version: params.electron.app.getVersion(),
    platform: params.platform,
    arch: params.arch,
    electronVersion: params.versions['electron'] ?? 'unknown',
    chromeVersion: params.versions['chrome'] ?? 'unknown',
  };
}

/** Registers `app:info`. */
export function setupAppInfoIpc(params: { registry: IpcRegistry; info: AppInfo }): void {
  params.registry.handle('app:info', () => ({ ...params.info }));
}
