/**
 * The application menu. Electron's default menu offers Reload, Force Reload and Toggle Developer
 * Tools to anyone at the keyboard; Hongyan replaces it with the least each platform needs:
 * - macOS: the app menu (about, hide, quit), Edit (its shortcuts only work through a menu) and
 *   Window;
 * - Windows and Linux: no menu bar (copy and paste work without one);
 * - a development run adds View with Reload and DevTools.
 */
import type { AppMenuItem, ElectronSeam } from './electron-seam';

/** The menu for a platform; `null` means no menu bar at all. */
export function appMenuTemplate(params: {
  platform: string;
  packaged: boolean;
  appName: string;
}): AppMenuItem[] | null {
  const development: AppMenuItem[] = params.packaged
    ? []
    : [{ label: 'View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }] }];
  if (params.platform !== 'darwin') return development.length > 0 ? development : null;
  return [
    {
      label: params.appName,
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'close' }] },
    ...development,
  ];
}

/** Installs the menu, before any window exists. */
export function setupAppMenu(params: {
  electron: ElectronSeam;
  platform: string;
  packaged: boolean;
}): void {
  params.electron.setApplicationMenu(
    appMenuTemplate({
      platform: params.platform,
      packaged: params.packaged,
      appName: params.electron.app.getName(),
    }),
  );
}
