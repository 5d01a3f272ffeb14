import type { Messages } from '../i18n/zh-cn';

/**
 * UI strings of the admin feature, in Simplified Chinese (default) and English.
 * Merged into the app's i18n resources under the `admin` key, so they are used as t('admin.…').
 */
export const adminZhCN = {} as const;

/** English mirror of {@link adminZhCN}; the type forces every key to exist. */
export const adminEn: Messages<typeof adminZhCN> = {};
