import { createContext, useContext, type ReactNode } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { AppState } from './app-store';

const StoreContext = createContext<StoreApi<AppState> | null>(null);

/** Provides the app store to the component tree. */
export function StoreProvider({
  store,
  children,
}: {
  store: StoreApi<AppState>;
  children: ReactNode;
}) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** Returns the raw store API (for actions outside render, e.g. binders). */
export function useAppStoreApi(): StoreApi<AppState> {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStoreApi must be used inside <StoreProvider>.');
  return store;
}

/** Selects a narrow slice of app state; pair with `useShallow` for object selections. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}
