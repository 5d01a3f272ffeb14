import { describe, expect, it } from 'vitest';
import { createAppStore } from '../store/app-store';
import { Dashboard, type DashboardAggregate } from './dashboard';

function figures(acknowledged: number): DashboardAggregate {
  return {
    circularId: 'c1',
    recipients: [],
    totals: { total: 3, unread: 3 - acknowledged, read: 0, acknowledged, overdue: 0 },
    invalidAcks: [],
    duplicateAcks: [],
    problems: [],
  };
}

/** A collector whose answers the test releases one at a time. */
function controlledCollector() {
  const calls: {
    id: string;
    fresh: boolean;
    reopened: boolean;
    resolve(a: DashboardAggregate): void;
    reject(e: Error): void;
  }[] = [];
  const collect = (id: string, o: { fresh: boolean; reopened: boolean }) =>
    new Promise<DashboardAggregate>((resolve, reject) => calls.push({ id, ...o, resolve, reject }));
  return { calls, collect };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('dashboard', () => {
  it('shows loading at once, then the figures; refreshes reuse cached server data', async () => {
    const store = createAppStore();
    const { calls, collect } = controlledCollector();
    const dashboard = new Dashboard(store, collect);
    const opened = dashboard.open('c1');
    expect(store.getState().dashboard).toMatchObject({
      circularId: 'c1',
      loading: true,
      aggregate: null,
    });
    calls[0]?.resolve(figures(1));
    await opened;
    expect(store.getState().dashboard).toMatchObject({ loading: false, error: null });
    expect(store.getState().dashboard?.aggregate?.totals.acknowledged).toBe(1);
    const refreshed = dashboard.refresh();
    calls[1]?.resolve(figures(2));
    await refreshed;
    expect(calls.map(({ fresh, reopened }) => ({ fresh, reopened }))).toEqual([
      { fresh: true, reopened: true },
      { fresh: false, reopened: false },
    ]);
    expect(store.getState().dashboard?.aggregate?.totals.acknowledged).toBe(2);
  });

  it('coalesces refreshes asked for while one runs into one more run', async () => {
    const store = createAppStore();
    const { calls, collect } = controlledCollector();
    const dashboard = new Dashboard(store, collect);
    void dashboard.open('c1');
    void dashboard.refresh();
    void dashboard.refresh();
    expect(calls).toHaveLength(1);
    calls[0]?.resolve(figures(1));
    await flush();
    expect(calls).toHaveLength(2);
    calls[1]?.resolve(figures(2));
    await flush();
    expect(calls).toHaveLength(2);
  });

  it('drops figures that arrive after the dashboard was closed', async () => {
    const store = createAppStore();
    const { calls, collect } = controlledCollector();
    const dashboard = new Dashboard(store, collect);
    void dashboard.open('c1');
    dashboard.close();
    expect(store.getState().dashboard).toBeNull();
    calls[0]?.resolve(figures(1));
    await flush();
    expect(store.getState().dashboard).toBeNull();
  });

  it('keeps the last figures beside the error when a refresh fails, and refetches after a reconnect', async () => {
    const store = createAppStore();
    const { calls, collect } = controlledCollector();
    const dashboard = new Dashboard(store, collect);
    const opened = dashboard.open('c1');
    calls[0]?.resolve(figures(1));
    await opened;
    dashboard.refetchOnNextRefresh();
    const refreshed = dashboard.refresh();
    calls[1]?.reject(new Error('M_LIMIT_EXCEEDED'));
    await refreshed;
    expect(calls[1]?.fresh).toBe(true);
    expect(store.getState().dashboard).toMatchObject({ loading: false, error: 'M_LIMIT_EXCEEDED' });
    expect(store.getState().dashboard?.aggregate?.totals.acknowledged).toBe(1);
  });
});
