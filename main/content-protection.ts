/**
 * Content protection (`win.setContentProtection`): keeps the window out of screenshots and screen
 * sharing where the OS supports it (Windows, macOS). Starts from the deployment config; the user may
 * toggle it unless an administrator enforces the value.
 */
import type { ContentProtectionState } from '../shared/ipc/contract';
import type { IpcRegistry } from './ipc';
import type { Logger } from './logger';

/** Content-protection state and its one setter. */
export interface ContentProtection {
  state(): ContentProtectionState;
  /** Applies a change; ignored when enforced. */
  set(enabled: boolean): ContentProtectionState;
}

/** Creates the state from the config. Windows read {@link ContentProtection.state} when created. */
export function setupContentProtection(params: {
  initial: ContentProtectionState;
  /** Applies a changed value to the open window(s). */
  applyToWindows: (enabled: boolean) => void;
  logger: Logger;
}): ContentProtection {
  let current: ContentProtectionState = { ...params.initial };
  return {
    state: () => ({ ...current }),
    set(enabled) {
      if (current.enforced) {
        if (enabled !== current.enabled)
          params.logger.warn('content protection change refused: enforced by the administrator');
        return { ...current };
      }
      current = { ...current, enabled };
      params.applyToWindows(enabled);
      return { ...current };
    },
  };
}

/** Registers `contentProtection:get` and `contentProtection:set`. */
export function setupContentProtectionIpc(params: {
  registry: IpcRegistry;
  contentProtection: ContentProtection;
}): void {
  params.registry.handle('contentProtection:get', () => params.contentProtection.state());
  params.registry.handle('contentProtection:set', ({ enabled }) =>
    params.contentProtection.set(enabled),
  );
}
