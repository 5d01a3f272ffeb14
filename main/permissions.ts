/**
 * Web permissions: denied by default. Only `notifications` is granted, and only to the app's own
 * origin. Camera and microphone stay off until a calls feature needs them (add `media` here then,
 * with its own checks).
 */
import { isAppUrl } from './app-origin';
import type { ElectronSeam, PermissionQuery } from './electron-seam';
import type { Logger } from './logger';

/** Permissions the app's own pages may use. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

// Chromium reports the requesting origin without a path (`app://hongyan`) for checks; add one so
// the same URL test serves both requests and checks.
function isAppOriginOrUrl(value: string): boolean {
  return isAppUrl(value) || isAppUrl(`${value}/`);
}

/** The decision for one permission query; exported for tests. */
export function isPermissionAllowed(query: PermissionQuery): boolean {
  return ALLOWED_PERMISSIONS.has(query.permission) && isAppOriginOrUrl(query.requestingUrl);
}

/** Installs the request, check and device permission handlers on the default session. */
export function setupPermissions(params: { electron: ElectronSeam; logger: Logger }): void {
  const { electron, logger } = params;
  electron.session.setPermissionRequestHandler((query, callback) => {
    const allowed = isPermissionAllowed(query);
    if (!allowed) logger.warn(`permission request "${query.permission}" denied`);
    callback(allowed);
  });
  // Checks are frequent (every Notification.permission read), so they are not logged.
  electron.session.setPermissionCheckHandler((query) => isPermissionAllowed(query));
  // USB, HID, serial and Bluetooth devices: never.
  electron.session.setDevicePermissionHandler(() => false);
}
