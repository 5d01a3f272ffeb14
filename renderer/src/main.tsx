import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app';
import { createAppI18n } from './app-i18n';
import { savedLanguage } from './i18n/i18n';
import { setDisplayTimeZone } from './i18n/date-format';
import { ClientManager, preloadCrypto } from './matrix/client-manager';
import { ClientProvider } from './matrix/client-context';
import { loadWebConfig } from './platform/app-config';
import { createAppStore } from './store/app-store';
import { StoreProvider } from './store/store-context';
import { registerServiceWorker } from './platform/service-worker';
import './styles.css';
// After every other sheet: the phone layout overrides the wide one.
import './phone.css';

/** Start-up: load config and language, create the one store and the one client manager, render. */
async function boot(): Promise<void> {
  // Restoring a session and signing in both need it; it loads while config, language and UI do.
  preloadCrypto();
  const language = savedLanguage(window.localStorage);
  const [i18n, { config, error }] = await Promise.all([createAppI18n(language), loadWebConfig()]);
  if (error) console.warn(`[config] ${error}`);
  // One zone for every time shown or entered: the deployment's (desktop: layered config; web: config.json).
  const zone = window.hongyan
    ? (await window.hongyan.invoke('config:get')).settings.timeZone.value
    : config.timeZone;
  setDisplayTimeZone(zone);
  const store = createAppStore({ language });
  const manager = new ClientManager();
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <StoreProvider store={store}>
          <ClientProvider manager={manager}>
            <App config={config} />
          </ClientProvider>
        </StoreProvider>
      </I18nextProvider>
    </StrictMode>,
  );
}

void boot();
registerServiceWorker();
