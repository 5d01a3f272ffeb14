/**
 * The open dashboard of an issued circular: the only writer of the store's `dashboard`. The view
 * opens and closes it by command; the session's event batches refresh it. Figures come from a
 * collector (the client's rooms and the server, see collect-dashboard.ts) as plain data.
 */
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';
import type { DashboardState } from '../store/circulars-slice';

/** The figures of one circular, as the store holds them. */
export type DashboardAggregate = NonNullable<DashboardState['aggregate']>;

/** Collects one circular's figures; `fresh` asks for new server data (first load, reconnect). */
export type DashboardCollector = (
  circularId: string,
  options: { fresh: boolean; reopened: boolean },
) => Promise<DashboardAggregate>;

/** See the module comment. */
export class Dashboard {
  private openFor: string | null = null;
  /** A new dashboard (or a reconnect) starts from fresh server data. */
  private fresh = true;
  /** The collector's per-dashboard cache is dropped on the next collection. */
  private reopened = true;
  private busy = false;
  private dirty = false;

  constructor(
    private readonly store: StoreApi<AppState>,
    private readonly collect: DashboardCollector,
  ) {}

  /** The circular whose dashboard is open, if any. */
  get circularId(): string | null {
    return this.openFor;
  }

  /** Opens the dashboard of a circular (loading at once) and collects its figures. */
  open(circularId: string): Promise<void> {
    this.openFor = circularId;
    this.fresh = true;
    this.reopened = true;
    this.write({ circularId, aggregate: null, updatedAt: Date.now(), loading: true, error: null });
    return this.refresh();
  }

  /** Closes the dashboard; a collection still under way is dropped. */
  close(): void {
    this.openFor = null;
    this.write(null);
  }

  /** After a reconnect acks may have arrived that the live timeline never saw. */
  refetchOnNextRefresh(): void {
    this.fresh = true;
  }

  /** Recollects the open dashboard; calls while one runs coalesce into one more run. */
  async refresh(): Promise<void> {
    const id = this.openFor;
    if (!id) return;
    if (this.busy) {
      this.dirty = true;
      return;
    }
    this.busy = true;
    const prev = this.store.getState().dashboard;
    if (!prev?.aggregate || prev.circularId !== id)
      this.write({
        circularId: id,
        aggregate: null,
        updatedAt: Date.now(),
        loading: true,
        error: null,
      });
    try {
      const options = { fresh: this.fresh, reopened: this.reopened };
      this.fresh = false;
      this.reopened = false;
      const aggregate = await this.collect(id, options);
      if (this.openFor === id)
        this.write({
          circularId: id,
          aggregate,
          updatedAt: Date.now(),
          loading: false,
          error: null,
        });
    } catch (err) {
      if (this.openFor === id)
        this.write({
          circularId: id,
          aggregate: prev?.circularId === id ? (prev.aggregate ?? null) : null,
          updatedAt: Date.now(),
          loading: false,
          error: (err as Error).message,
        });
    } finally {
      this.busy = false;
      if (this.dirty) {
        this.dirty = false;
        void this.refresh();
      }
    }
  }

  private write(dashboard: DashboardState | null): void {
    this.store.getState().setDashboard(dashboard);
  }
}
