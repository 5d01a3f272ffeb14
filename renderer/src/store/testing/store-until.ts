import type { StoreApi } from 'zustand';
import type { AppState } from '../app-store';

/**
 * Resolves with the first value `check` returns other than undefined, checking the store's state
 * now and after every change; rejects after `timeoutMs` with `what` in the message.
 */
export function storeUntil<T>(
  store: StoreApi<AppState>,
  what: string,
  check: (s: AppState) => T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const on = (s: AppState) => {
      const value = check(s);
      if (value === undefined) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    };
    const unsubscribe = store.subscribe(on);
    on(store.getState());
  });
}
