import { DesktopPlatform } from './desktop-platform';
import type { Platform } from './platform';
import { WebPlatform } from './web-platform';

/** Picks the desktop implementation when the preload bridge is present, the web one otherwise. */
export function createPlatform(
  web: { watermark?: boolean; passwordLogin?: boolean } = {},
): Platform {
  return window.hongyan
    ? new DesktopPlatform(window.hongyan)
    : new WebPlatform(indexedDB, web.watermark ?? false, web.passwordLogin ?? true);
}
