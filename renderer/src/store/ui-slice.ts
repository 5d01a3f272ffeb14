import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';
import type { Language } from '../i18n/i18n';

/** UI preferences that are not tied to the Matrix session. */
/** Top-level views of the signed-in app (the navigation rail). */
/** `me` (我的) is the phone's last tab; wide screens keep its contents in the top bar. */
export const APP_VIEWS = ['chat', 'circulars', 'directory', 'admin', 'me'] as const;
export type AppView = (typeof APP_VIEWS)[number];

export interface UiSlice {
  language: Language;
  activeView: AppView;
  /** The deployment requires the name/ID watermark over the signed-in app. */
  watermark: boolean;
  setLanguage(lang: Language): void;
  setWatermark(on: boolean): void;
  setActiveView(view: AppView): void;
}

export const createUiSlice =
  (initialLanguage: Language): StateCreator<AppState, [], [], UiSlice> =>
  (set) => ({
    language: initialLanguage,
    activeView: 'chat',
    watermark: false,
    setWatermark: (watermark) => set({ watermark }),
    setLanguage: (language) => set({ language }),
    setActiveView: (activeView) => set({ activeView }),
  });
