import type { Messages } from '../i18n/zh-cn';

/**
 * UI strings of the org feature, in Simplified Chinese (default) and English.
 * Merged into the app's i18n resources under the `org` key, so they are used as t('org.…').
 */
export const orgZhCN = {} as const;

/** English mirror of {@link orgZhCN}; the type forces every key to exist. */
export const orgEn: Messages<typeof orgZhCN> = {};
