import { APP_VIEWS, type AppView } from '../store/ui-slice';
import type { CircularsPanel } from '../store/circulars-slice';
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';

/** Where the user is in the signed-in app: what a browser history entry remembers. */
export interface NavPlace {
  view: AppView;
  panel: CircularsPanel;
  roomId: string | null;
}

/** Key under which our entry lives in `history.state`, so foreign state is never mistaken for ours. */
const STATE_KEY = 'hongyanNav';

type PlaceSource = Pick<AppState, 'activeView' | 'circularsPanel' | 'activeRoomId'>;

export function placeOf(s: PlaceSource): NavPlace {
  return { view: s.activeView, panel: s.circularsPanel, roomId: s.activeRoomId };
}

export function samePlace(a: NavPlace, b: NavPlace): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A place is "deep" when going back stays inside the app: an open circular, dashboard or room. */
export function isDeepPlace(p: NavPlace): boolean {
  if (p.view === 'circulars') return p.panel.kind === 'view' || p.panel.kind === 'dashboard';
  if (p.view === 'chat') return p.roomId !== null;
  return false;
}

function isString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length < 512;
}

/** Reads our place back out of `history.state`; anything malformed is ignored rather than applied. */
export function parsePlace(state: unknown): NavPlace | null {
  if (typeof state !== 'object' || state === null) return null;
  const raw = (state as Record<string, unknown>)[STATE_KEY];
  if (typeof raw !== 'object' || raw === null) return null;
  const { view, panel, roomId } = raw as Record<string, unknown>;
  if (!APP_VIEWS.includes(view as AppView)) return null;
  if (roomId !== null && !isString(roomId)) return null;
  const p = panel as Record<string, unknown> | null;
  if (typeof p !== 'object' || p === null) return null;
  let parsed: CircularsPanel;
  if (p.kind === 'inbox' || p.kind === 'compose' || p.kind === 'issued') parsed = { kind: p.kind };
  else if (p.kind === 'view' && isString(p.roomId) && isString(p.eventId))
    parsed = { kind: 'view', roomId: p.roomId, eventId: p.eventId };
  else if (p.kind === 'dashboard' && isString(p.circularId))
    parsed = { kind: 'dashboard', circularId: p.circularId };
  else return null;
  return { view: view as AppView, panel: parsed, roomId };
}

/** The subset of `window.history` and `window` this module uses, so tests can pass a fake. */
export interface HistoryHost {
  history: Pick<History, 'pushState' | 'replaceState' | 'state'>;
  addEventListener(type: 'popstate', fn: (e: PopStateEvent) => void): void;
  removeEventListener(type: 'popstate', fn: (e: PopStateEvent) => void): void;
}

/**
 * Keeps the browser history in step with where the user is, so a phone's back button (or the
 * browser's) goes from an open circular back to the inbox, from a conversation back to the list.
 * Every move the user makes pushes an entry; going back applies the remembered place to the store.
 * Returns the function that stops syncing.
 */
export function syncHistory(store: StoreApi<AppState>, host: HistoryHost): () => void {
  let current = placeOf(store.getState());
  let applying = false;
  host.history.replaceState({ ...asRecord(host.history.state), [STATE_KEY]: current }, '');

  const unsubscribe = store.subscribe((s) => {
    const next = placeOf(s);
    if (samePlace(next, current)) return;
    current = next;
    if (!applying) host.history.pushState({ [STATE_KEY]: next }, '');
  });

  const onPop = (e: PopStateEvent) => {
    const place = parsePlace(e.state);
    if (!place) return;
    applying = true;
    try {
      const s = store.getState();
      s.setActiveView(place.view);
      s.setCircularsPanel(place.panel);
      s.setActiveRoom(place.roomId);
    } finally {
      applying = false;
    }
  };
  host.addEventListener('popstate', onPop);
  return () => {
    unsubscribe();
    host.removeEventListener('popstate', onPop);
  };
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
}
