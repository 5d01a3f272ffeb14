/**
 * Open at login. macOS and Windows use Electron's login-item settings; Linux uses an XDG autostart
 * entry (`~/.config/autostart/hongyan.desktop`), which Electron does not manage. A development run
 * (not packaged) reports "unsupported" so it never registers the bare Electron binary.
 */
import { readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoginItemState } from '../shared/ipc/contract';
import type { ElectronSeam } from './electron-seam';
import type { IpcRegistry } from './ipc';
import type { Logger } from './logger';

/** Open-at-login operations. */
export interface LoginItem {
  get(): Promise<LoginItemState>;
  set(openAtLogin: boolean): Promise<LoginItemState>;
}

/** Path of the Linux autostart entry. */
export function linuxAutostartPath(
  env: Readonly<Record<string, string | undefined>>,
  homePath: string,
): string {
  const configHome =
    env['XDG_CONFIG_HOME'] && env['XDG_CONFIG_HOME'].startsWith('/')
      ? env['XDG_CONFIG_HOME']
      : join(homePath, '.config');
  return join(configHome, 'autostart', 'hongyan.desktop');
}

/** Contents of the autostart entry; the executable path is quoted as the desktop-entry spec asks. */
export function linuxAutostartEntry(executable: string): string {
  const quoted = `"${executable.replace(/(["`$\\])/g, '\\$1')}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Hongyan',
    'Comment=鸿雁',
    `Exec=${quoted}`,
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Creates the open-at-login controller for this platform. */
export function setupLoginItem(params: {
  electron: ElectronSeam;
  logger: Logger;
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The file to start at login (on Linux an AppImage's own path, from `$APPIMAGE`). */
  executable: string;
}): LoginItem {
  const { electron, logger, platform, env } = params;
  const unsupported: LoginItemState = { openAtLogin: false, supported: false };
  if (!electron.app.isPackaged) {
    return { get: async () => unsupported, set: async () => unsupported };
  }
  if (platform === 'linux') {
    const path = linuxAutostartPath(env, electron.app.getPath('home'));
    const get = async (): Promise<LoginItemState> => {
      try {
        await readFile(path, 'utf8');
        return { openAtLogin: true, supported: true };
      } catch {
        return { openAtLogin: false, supported: true };
      }
    };
    return {
      get,
      async set(openAtLogin) {
        try {
          if (openAtLogin) {
            await mkdir(join(path, '..'), { recursive: true });
            await writeFile(path, linuxAutostartEntry(params.executable));
          } else {
            await rm(path, { force: true });
          }
        } catch (error) {
          logger.warn(`open-at-login could not be changed: ${(error as Error).message}`);
        }
        return get();
      },
    };
  }
  if (platform === 'darwin' || platform === 'win32') {
    const get = async (): Promise<LoginItemState> => ({
      openAtLogin: electron.app.getLoginItemSettings().openAtLogin,
      supported: true,
    });
    return {
      get,
      async set(openAtLogin) {
        electron.app.setLoginItemSettings({ openAtLogin });
        return get();
      },
    };
  }
  return { get: async () => unsupported, set: async () => unsupported };
}

/** Registers `loginItem:get` and `loginItem:set`. */
export function setupLoginItemIpc(params: { registry: IpcRegistry; loginItem: LoginItem }): void {
  params.registry.handle('loginItem:get', () => params.loginItem.get());
  params.registry.handle('loginItem:set', ({ openAtLogin }) => params.loginItem.set(openAtLogin));
}
