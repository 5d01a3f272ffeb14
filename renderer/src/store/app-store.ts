import { createStore, type StoreApi } from 'zustand/vanilla';
import { createSessionSlice, type SessionSlice } from './session-slice';
import { createUiSlice, type UiSlice } from './ui-slice';
import { createRoomsSlice, type RoomsSlice } from './rooms-slice';
import { createOrgSlice, type OrgSlice } from './org-slice';
import { createChatSlice, type ChatSlice } from './chat-slice';
import { createCircularsSlice, type CircularsSlice } from './circulars-slice';
import type { Language } from '../i18n/i18n';

/** The whole app state: one store composed of typed slices. Holds IDs and plain data only. */
export type AppState = SessionSlice & UiSlice & RoomsSlice & OrgSlice & ChatSlice & CircularsSlice;

/** Options for a fresh store; tests create one per case. */
export interface AppStoreOptions {
  language?: Language;
}

/** Creates the app store. The app makes exactly one; each test makes its own. */
export function createAppStore(options: AppStoreOptions = {}): StoreApi<AppState> {
  return createStore<AppState>()((...a) => ({
    ...createSessionSlice(...a),
    ...createUiSlice(options.language ?? 'zh-CN')(...a),
    ...createRoomsSlice(...a),
    ...createOrgSlice(...a),
    ...createChatSlice(...a),
    ...createCircularsSlice(...a),
  }));
}
