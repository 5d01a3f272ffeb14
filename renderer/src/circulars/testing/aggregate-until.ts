/**
 * Test helper: the issuer's dashboard figures for one circular, recomputed whenever a receipt or an
 * event reaches the issuer's client, until a condition holds (or a minute passes).
 */
import { ClientEvent, RoomEvent, type MatrixClient } from 'matrix-js-sdk';
import { aggregateCircular, type CircularAggregate } from '../../../../shared/circular/aggregate';
import type { Circular } from '../../../../shared/circular/types';
import { collectDashboardInput, DashboardCache, type CopyRef } from '../collect-dashboard';
import type { FanOutRecord } from '../fan-out-store';

/** The copies a fan-out record sent. */
export function copiesOf(record: FanOutRecord): CopyRef[] {
  return record.plan.entries.map((e) => ({
    roomId: e.roomId,
    unitCode: e.unitCode,
    eventId: e.state.kind === 'sent' ? e.state.eventId : '',
  }));
}

/** Recomputes the aggregate as receipts and events arrive, until `done` holds. */
export async function aggregateUntil(
  client: MatrixClient,
  circular: Circular,
  copies: readonly CopyRef[],
  done: (a: CircularAggregate) => boolean,
): Promise<CircularAggregate> {
  const cache = new DashboardCache();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const changed = new Promise<void>((resolve) => {
      const on = () => {
        client.off(RoomEvent.Receipt, on);
        client.off(ClientEvent.Event, on);
        resolve();
      };
      client.on(RoomEvent.Receipt, on);
      client.on(ClientEvent.Event, on);
    });
    const input = await collectDashboardInput({
      client,
      circular,
      copies,
      cache,
      refetchAcks: true,
      now: Date.now(),
    });
    const agg = aggregateCircular(input);
    if (done(agg) || Date.now() > deadline) return agg;
    await changed;
  }
}
