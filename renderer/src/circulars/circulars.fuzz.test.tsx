// @vitest-environment jsdom
/**
 * 1,000 hostile circular and ack events (fast-check, a fixed seed so a failure replays) through the
 * timeline, parsing, the inbox view and the dashboard aggregation. `npm run bench -- fuzz` runs
 * 10,000.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzCircularEvents, FUZZ_COPY_EVENT_ID } from './testing/circular-fuzz';
import { hostileEvent } from './testing/malformed-events';

describe('hostile circular and ack events', () => {
  it('crash nothing, show as untrusted with a reason and leave the dashboard totals alone', async () => {
    const events = fc.sample(hostileEvent(FUZZ_COPY_EVENT_ID), { numRuns: 1000, seed: 19 });
    const mutations = new Set(events.flatMap((e) => e.mutations.map((m) => m.split(' ')[0])));
    expect(mutations.size).toBeGreaterThanOrEqual(8);
    const result = await fuzzCircularEvents(events);
    expect(result.failures.slice(0, 10)).toEqual([]);
    expect(result).toMatchObject({ events: 1000, crashes: 0, failures: [] });
    // Every event was accounted for: circulars shown (mostly as untrusted), acks set aside.
    const circulars = events.filter((e) => e.kind === 'circular').length;
    expect(result.untrusted + result.inert).toBe(circulars);
    expect(result.untrusted).toBeGreaterThan(circulars * 0.8);
    expect(result.acksSetAside).toBe(1000 - circulars);
  }, 120_000);
});
