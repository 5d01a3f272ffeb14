/**
 * Responsiveness of the app's views with a large community room, measured on the real renderer
 * components under jsdom with the issuer's real client (the one that sent the circular):
 *
 * - the room list: the store binder's summaries of every room, then the list's first render;
 * - the room's member views: the devices panel (成员设备, the room's members and their devices),
 *   and the composer's @-mention search over the members, typed one character at a time;
 * - the dashboard's per-person list of the circular (the room's residents, 签收 status each):
 *   first render, a status filter, scrolling (the list renders only its rows in view).
 *
 * Each figure is printed beside the same interaction in a small room of the same run (its floor)
 * and the interaction target (DESIGN.md names none per interaction; 100 ms, the usual bound for an
 * interaction to feel immediate). jsdom does no layout or paint, so these are the React and SDK
 * share of an interaction; the browser adds layout and paint, in proportion to the rows rendered.
 */
import { cleanup, fireEvent, render, waitFor } from '@testing-library/react';
import type { MatrixClient } from 'matrix-js-sdk';
import { createElement, type ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { CircularAggregate } from '../shared/circular/aggregate-types';
import type { Circular } from '../shared/circular/types';
import { createAppI18n } from '../renderer/src/app-i18n';
import type { CircularsController } from '../renderer/src/circulars/circulars-controller';
import { DashboardView } from '../renderer/src/circulars/dashboard-view';
import { Composer } from '../renderer/src/chat/composer';
import { DevicesPanel } from '../renderer/src/chat/devices-panel';
import { RoomList } from '../renderer/src/chat/room-list';
import { bindSession } from '../renderer/src/matrix/bind-session';
import { toRoomSummary } from '../renderer/src/matrix/room-summary';
import { ClientProvider } from '../renderer/src/matrix/client-context';
import type { ClientManager } from '../renderer/src/matrix/client-manager';
import type { Platform } from '../renderer/src/platform/platform';
import type { SessionController } from '../renderer/src/session/session-controller';
import { SessionProvider } from '../renderer/src/session/session-context';
import { createAppStore } from '../renderer/src/store/app-store';
import { StoreProvider } from '../renderer/src/store/store-context';
import { percentile } from './chat-helpers';

/** The interaction target used here (see the module comment). */
export const INTERACTION_TARGET_MS = 100;

/** One interaction's figure in the large room, beside its floor (by default: the small room). */
export interface UiFigure {
  what: string;
  largeMs: number;
  smallMs: number;
  /** What `smallMs` is when it is not the same interaction in the small room. */
  floor?: string;
}

/** What {@link measureRoomViews} needs. */
export interface RoomViewsInput {
  manager: ClientManager;
  client: MatrixClient;
  large: { roomId: string; members: number };
  small: { roomId: string; members: number };
  /** The circular sent in the large room, its dashboard aggregate, and the same for the small room. */
  circular: Circular;
  largeAggregate: CircularAggregate;
  smallAggregate: CircularAggregate;
}

/** Timed repetitions per interaction; the median is reported. */
const RUNS = 5;

async function median(run: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await run());
  return percentile(times, 50);
}

/**
 * Measures the views listed in the module comment. Needs a DOM (the caller installs jsdom's
 * globals) and leaves nothing rendered.
 */
export async function measureRoomViews(input: RoomViewsInput): Promise<UiFigure[]> {
  const { manager, client } = input;
  const i18n = await createAppI18n('zh-CN');
  const store = createAppStore();
  // The views only read the session's controller when a button is pressed; none is pressed here.
  const session = {
    controller: {} as unknown as SessionController,
    platform: {} as unknown as Platform,
  };
  const wrap = (el: ReactElement) =>
    createElement(I18nextProvider, {
      i18n,
      children: createElement(ClientProvider, {
        manager,
        children: createElement(SessionProvider, {
          value: session,
          children: createElement(StoreProvider, { store, children: el }),
        }),
      }),
    });
  const figures: UiFigure[] = [];
  /** Times one interaction in the large room, then the same in the small one. */
  const inBothRooms = async (what: string, measure: (roomId: string) => Promise<number>) => {
    const largeMs = await measure(input.large.roomId);
    figures.push({ what, largeMs, smallMs: await measure(input.small.roomId) });
  };

  // Room list: the binder summarises every room (the large one among them), then the list renders.
  const t0 = performance.now();
  const unbind = bindSession(client, store);
  await waitFor(() => {
    if (!store.getState().roomsLoaded || !store.getState().rooms[input.large.roomId])
      throw new Error('room list not bound yet');
  });
  const bindMs = performance.now() - t0;
  const listMs = await median(async () => {
    const t = performance.now();
    const view = render(wrap(createElement(RoomList, { onNew: () => undefined })));
    view.getByText(store.getState().rooms[input.large.roomId]?.name ?? '');
    const ms = performance.now() - t;
    view.unmount();
    return ms;
  });
  unbind();
  figures.push({
    what: `room list: the binder's summaries of the issuer's ${Object.keys(store.getState().rooms).length} rooms + first render`,
    largeMs: bindMs + listMs,
    smallMs: listMs,
    floor: 'the render alone from the bound store',
  });
  const summary = (roomId: string) => {
    const room = client.getRoom(roomId);
    if (!room) throw new Error(`issuer has no room ${roomId}`);
    return median(async () => {
      const t = performance.now();
      toRoomSummary(room, new Set());
      return performance.now() - t;
    });
  };
  await inBothRooms(
    "the room's summary in the room list (what the binder computes on each change)",
    summary,
  );

  const devicesPanel = async (roomId: string) =>
    median(async () => {
      const t = performance.now();
      const view = render(wrap(createElement(DevicesPanel, { roomId })));
      await waitFor(() => {
        if (view.container.querySelectorAll('li[data-verified]').length === 0)
          throw new Error('no devices yet');
      });
      const ms = performance.now() - t;
      view.unmount();
      return ms;
    });
  await inBothRooms('members panel (devices of the members) opened → devices shown', devicesPanel);

  // @-mention search: each character typed filters the room's members.
  const mention = async (roomId: string) =>
    median(async () => {
      const view = render(
        wrap(createElement(Composer, { roomId, mode: { kind: 'new' }, onModeDone: () => {} })),
      );
      const box = view.getByTestId('composer-input') as HTMLTextAreaElement;
      const typed = '@m0001';
      let worst = 0;
      for (let i = 1; i <= typed.length; i++) {
        const t = performance.now();
        // The caret is where typing left it (the composer reads the query up to the caret).
        fireEvent.change(box, { target: { value: typed.slice(0, i), selectionStart: i } });
        worst = Math.max(worst, performance.now() - t);
      }
      // A search that lists nobody is still a timed keystroke; say so rather than end the benchmark
      // before its summary line.
      if (!view.container.querySelector('.mention-list'))
        console.warn(`[large-room] @-mention search in ${roomId} listed nobody for "${typed}"`);
      view.unmount();
      return worst;
    });
  await inBothRooms('@-mention search over the members, slowest keystroke of "@m0001"', mention);

  // The dashboard's per-person list (every member of the room with their 签收 status).
  const dashboard = async (aggregate: CircularAggregate, roomId: string) => {
    const controller = {
      openDashboard: async () => undefined,
      closeDashboard: () => undefined,
      serverName: 'bench',
    } as unknown as CircularsController;
    store.getState().setIssuedCirculars([
      {
        circularId: input.circular.id,
        title: input.circular.title,
        issuedAt: input.circular.issuedAt,
        circular: input.circular,
        copies: [{ roomId, eventId: '$bench', unitCode: input.circular.issuingUnit.code }],
      },
    ]);
    store.getState().setDashboard({
      circularId: input.circular.id,
      aggregate,
      updatedAt: Date.now(),
      loading: false,
      error: null,
    });
    const rows = () => document.querySelectorAll('[data-testid="recipient-row"]').length;
    const renderDashboard = () =>
      render(
        wrap(
          createElement(DashboardView, {
            circularId: input.circular.id,
            controller,
            onBack: () => undefined,
          }),
        ),
      );
    const first = await median(async () => {
      const t = performance.now();
      const view = renderDashboard();
      if (rows() === 0) throw new Error('dashboard shows no recipients');
      const ms = performance.now() - t;
      view.unmount();
      return ms;
    });
    const view = renderDashboard();
    const select = view.getByTestId('filter-status') as HTMLSelectElement;
    const filter = await median(async () => {
      const t = performance.now();
      fireEvent.change(select, { target: { value: 'acknowledged' } });
      const ms = performance.now() - t;
      fireEvent.change(select, { target: { value: '' } });
      return ms;
    });
    // Scrolling: jumps through the list, each a scroll event at a new position.
    const box = view.getByTestId('recipient-scroll');
    let position = 0;
    Object.defineProperty(box, 'scrollTop', { configurable: true, get: () => position });
    const scroll = await median(async () => {
      position = (position + 997 * 33) % Math.max(1, aggregate.recipients.length * 33);
      const t = performance.now();
      fireEvent.scroll(box);
      return performance.now() - t;
    });
    const shown = rows();
    view.unmount();
    cleanup();
    return { first, filter, scroll, shown };
  };
  // jsdom does no layout: the list's scroll box gets the height a window gives it (600 px).
  const boxSize = (name: 'clientHeight' | 'clientWidth', px: number) =>
    Object.defineProperty(HTMLElement.prototype, name, {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('circ-recipients-scroll') ? px : 0;
      },
    });
  boxSize('clientHeight', 600);
  boxSize('clientWidth', 800);
  const big = await dashboard(input.largeAggregate, input.large.roomId);
  const few = await dashboard(input.smallAggregate, input.small.roomId);
  figures.push({
    what: `dashboard per-person list (${big.shown} rows rendered) first render`,
    largeMs: big.first,
    smallMs: few.first,
  });
  figures.push({
    what: 'dashboard per-person list, status filter changed',
    largeMs: big.filter,
    smallMs: few.filter,
  });
  figures.push({
    what: 'dashboard per-person list scrolled to a new position',
    largeMs: big.scroll,
    smallMs: few.scroll,
  });
  return figures;
}

/** A figure as a log line. */
export function describeUiFigure(f: UiFigure, large: number, small: number): string {
  const mark = f.largeMs <= INTERACTION_TARGET_MS ? 'met' : 'MISSED';
  return (
    `${f.what}: ${f.largeMs.toFixed(1)} ms with ${large} members (target ≤ ${INTERACTION_TARGET_MS} ms, ${mark}); ` +
    `${f.floor ?? `with ${small} members`}: ${f.smallMs.toFixed(1)} ms`
  );
}
