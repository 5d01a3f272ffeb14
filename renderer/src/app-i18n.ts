/**
 * The app's translations: the app-wide messages (`i18n/`) plus every feature's catalogue under its
 * namespace. Assembled here, at the app root, because only the root knows which features exist;
 * `i18n/` stays below the features (a lint rule).
 */
import type { i18n as I18n } from 'i18next';
import { accountEn, accountZhCN } from './account/messages';
import { chatEn, chatZhCN } from './chat/messages';
import { circularsEn, circularsZhCN } from './circulars/messages';
import { createI18n, type FeatureCatalogues, type Language } from './i18n/i18n';
import { orgEn, orgZhCN } from './org/messages';
import { adminEn, adminZhCN } from './org-admin/messages';
import { residentsEn, residentsZhCN } from './residents/messages';

/** Every feature's catalogue, by language and namespace (the key prefix its views use). */
export const FEATURE_CATALOGUES: FeatureCatalogues = {
  'zh-CN': {
    chat: chatZhCN,
    circulars: circularsZhCN,
    org: orgZhCN,
    admin: adminZhCN,
    account: accountZhCN,
    residents: residentsZhCN,
  },
  en: {
    chat: chatEn,
    circulars: circularsEn,
    org: orgEn,
    admin: adminEn,
    account: accountEn,
    residents: residentsEn,
  },
};

/** An initialised i18next instance with every catalogue (one per app, a fresh one per test). */
export function createAppI18n(lang: Language): Promise<I18n> {
  return createI18n(lang, FEATURE_CATALOGUES);
}
