import type { Messages } from '../i18n/zh-cn';

/**
 * UI strings of the circulars feature, in Simplified Chinese (default) and English.
 * Merged into the app's i18n resources under the `circulars` key, so they are used as t('circulars.…').
 */
export const circularsZhCN = {} as const;

/** English mirror of {@link circularsZhCN}; the type forces every key to exist. */
export const circularsEn: Messages<typeof circularsZhCN> = {};
