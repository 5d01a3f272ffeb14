import type { Messages } from '../i18n/zh-cn';

/**
 * UI strings of the chat feature, in Simplified Chinese (default) and English.
 * Merged into the app's i18n resources under the `chat` key, so they are used as t('chat.…').
 */
export const chatZhCN = {} as const;

/** English mirror of {@link chatZhCN}; the type forces every key to exist. */
export const chatEn: Messages<typeof chatZhCN> = {};
