import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-cn';
import { adminEn, adminZhCN } from '../org-admin/messages';
import { chatEn, chatZhCN } from '../chat/messages';
import { circularsEn, circularsZhCN } from '../circulars/messages';
import { orgEn, orgZhCN } from '../org/messages';
import { accountEn, accountZhCN } from '../account/messages';
import { residentsEn, residentsZhCN } from '../residents/messages';

/** Languages the UI offers; zh-CN is the default. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const LANGUAGE_KEY = 'hongyan.language';

/** Reads the user's saved language choice, falling back to zh-CN. */
export function savedLanguage(storage: Pick<Storage, 'getItem'> | undefined): Language {
  const saved = storage?.getItem(LANGUAGE_KEY);
  return (LANGUAGES as readonly string[]).includes(saved ?? '') ? (saved as Language) : 'zh-CN';
}

/** Persists the language choice so the next start opens in it. */
export function saveLanguage(storage: Pick<Storage, 'setItem'> | undefined, lang: Language): void {
  storage?.setItem(LANGUAGE_KEY, lang);
}

/** Creates an initialised i18next instance (one per app, a fresh one per test). */
export async function createI18n(lang: Language): Promise<I18n> {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    lng: lang,
    fallbackLng: 'zh-CN',
    resources: {
      'zh-CN': {
        translation: {
          ...zhCN,
          chat: chatZhCN,
          circulars: circularsZhCN,
          org: orgZhCN,
          admin: adminZhCN,
          account: accountZhCN,
          residents: residentsZhCN,
        },
      },
      en: {
        translation: {
          ...en,
          chat: chatEn,
          circulars: circularsEn,
          org: orgEn,
          admin: adminEn,
          account: accountEn,
          residents: residentsEn,
        },
      },
    },
    interpolation: { escapeValue: false }, // React escapes already.
    returnNull: false,
  });
  return instance;
}
