import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-cn';

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

/**
 * The features' catalogues per language, each under its namespace (`chat`, `circulars`, …). The
 * app root assembles them (`app-i18n.ts`), so this module knows no feature.
 */
export type FeatureCatalogues = Record<Language, Record<string, object>>;

/**
 * Creates an initialised i18next instance with the app-wide messages and the features'
 * catalogues (one per app, a fresh one per test; see `createAppI18n` in `app-i18n.ts`).
 */
export async function createI18n(lang: Language, features: FeatureCatalogues): Promise<I18n> {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    lng: lang,
    fallbackLng: 'zh-CN',
    resources: {
      'zh-CN': {
        translation: { ...zhCN, ...features['zh-CN'] },
      },
      en: {
        translation: { ...en, ...features.en },
      },
    },
    interpolation: { escapeValue: false }, // React escapes already.
    returnNull: false,
  });
  return instance;
}
