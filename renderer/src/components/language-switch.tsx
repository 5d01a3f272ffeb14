import { useTranslation } from 'react-i18next';
import { LANGUAGES, saveLanguage, type Language } from '../i18n/i18n';
import { useAppStore } from '../store/store-context';

/** Language picker; zh-CN by default, English as a choice. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const language = useAppStore((s) => s.language);
  const setLanguage = useAppStore((s) => s.setLanguage);
  const change = (lang: Language) => {
    setLanguage(lang);
    saveLanguage(window.localStorage, lang);
    void i18n.changeLanguage(lang);
  };
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('language.label')}</span>
      <select
        data-testid="language-switch"
        value={language}
        aria-label={t('language.label')}
        onChange={(e) => change(e.target.value as Language)}
      >
        {LANGUAGES.map((lang) => (
          <option key={lang} value={lang}>
            {t(`language.${lang}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
