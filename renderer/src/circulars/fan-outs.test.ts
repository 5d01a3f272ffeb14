import { describe, expect, it } from 'vitest';
import { fanOutProgress, markSent, type FanOutProgress } from '../../../shared/circular/fan-out';
import { createAppStore } from '../store/app-store';
import { MemoryFanOutStore, type FanOutRecord } from './fan-out-store';
import { FanOuts, type FanOutRun } from './fan-outs';
import type { PreparedCircular } from './issue';
import { sampleCircular, sampleRecord, SAMPLE_CIRCULAR_ID } from './testing/feature-fixtures';

const ID = SAMPLE_CIRCULAR_ID;

/** A runner that sends every room of the stored record when released, or stops when told. */
class FakeRun implements FanOutRun {
  current: FanOutRecord | null = null;
  stopped = false;
  private progress: ((p: FanOutProgress) => void) | undefined;
  private release: (() => void) | undefined;
  readonly started: Promise<void>;
  private markStarted!: () => void;

  constructor(private readonly store: MemoryFanOutStore) {
    this.started = new Promise((r) => (this.markStarted = r));
  }
  onProgress(handler: (p: FanOutProgress) => void): void {
    this.progress = handler;
  }
  async run(): Promise<FanOutProgress> {
    const record = await this.store.get(ID);
    if (!record) throw new Error('no record');
    this.markStarted();
    await new Promise<void>((r) => (this.release = r));
    let plan = record.plan;
    if (!this.stopped)
      for (const e of plan.entries)
        if (e.state.kind !== 'sent') plan = markSent(plan, e.roomId, `$${e.unitCode}`, 3);
    this.current = { ...record, plan };
    await this.store.put(this.current);
    const p = fanOutProgress(plan);
    this.progress?.(p);
    return p;
  }
  stop(): void {
    this.stopped = true;
    this.release?.();
  }
  finish(): void {
    this.release?.();
  }
}

function setUp() {
  const store = createAppStore();
  const fanOuts = new MemoryFanOutStore();
  const runs: FakeRun[] = [];
  let ended = 0;
  const feature = new FanOuts({
    store,
    fanOuts,
    userId: '@issuer:s',
    createRunner: () => {
      const run = new FakeRun(fanOuts);
      runs.push(run);
      return run;
    },
    onRunEnded: () => ended++,
  });
  return { store, fanOuts, runs, feature, ended: () => ended };
}

const prepared = (): PreparedCircular => {
  const r = sampleRecord();
  const counts = {
    units: 2,
    rooms: 2,
    recipients: 0,
    distinctUsers: 0,
    perRoom: new Map(),
    missingMembers: [],
  };
  return { circular: sampleCircular(), content: r.content, plan: r.plan, counts };
};

describe('fan-outs', () => {
  it('lists an issued circular at once with its progress, and forgets the stored plaintext when done', async () => {
    const { store, fanOuts, runs, feature, ended } = setUp();
    const issued = feature.issue(prepared());
    await new Promise((r) => setTimeout(r, 0));
    await runs[0]?.started;
    expect(store.getState().issuedCirculars[0]).toMatchObject({
      circularId: ID,
      progress: { total: 2, sent: 0, done: false },
    });
    expect(feature.running).toEqual([ID]);
    runs[0]?.finish();
    await issued;
    expect(store.getState().issuedCirculars[0]?.progress).toMatchObject({ sent: 2, done: true });
    expect(await fanOuts.get(ID)).toBeUndefined();
    expect(ended()).toBe(1);
    // The copies stay known for the dashboard after the record is gone.
    expect((await feature.copiesOf(ID))?.copies).toEqual([
      { roomId: '!a:s', eventId: '$a', unitCode: 'a' },
      { roomId: '!b:s', eventId: '$b', unitCode: 'b' },
    ]);
  });

  it('resumes only this account’s unfinished fan-outs, and stop() halts them keeping the record', async () => {
    const { store, fanOuts, runs, feature } = setUp();
    await fanOuts.put(sampleRecord({ sentA: true }));
    const resumed = feature.resumeAll();
    await resumed;
    await runs[0]?.started;
    expect(store.getState().issuedCirculars.map((e) => e.circularId)).toEqual([ID]);
    feature.stop();
    await new Promise((r) => setTimeout(r, 0));
    expect(feature.running).toEqual([]);
    expect((await fanOuts.get(ID))?.plan.entries.map((e) => e.state.kind)).toEqual([
      'sent',
      'pending',
    ]);
  });

  it('does not resume another account’s fan-out found on this device', async () => {
    const { fanOuts, runs, feature } = setUp();
    await fanOuts.put(sampleRecord({ senderId: '@someone-else:s' }));
    await feature.resumeAll();
    expect(runs).toEqual([]);
  });

  it('merges copies from the stored record with those seen in the rooms', async () => {
    const { store, fanOuts, feature } = setUp();
    await fanOuts.put(sampleRecord({ sentA: true }));
    store.getState().setIssuedCirculars([
      {
        circularId: ID,
        title: 't',
        issuedAt: 1,
        copies: [
          { roomId: '!a:s', eventId: '$other', unitCode: 'a' },
          { roomId: '!b:s', eventId: '$b', unitCode: 'b' },
        ],
      },
    ]);
    expect((await feature.copiesOf(ID))?.copies).toEqual([
      { roomId: '!a:s', eventId: '$a', unitCode: 'a' },
      { roomId: '!b:s', eventId: '$b', unitCode: 'b' },
    ]);
    expect(await feature.copiesOf('unknown')).toBeUndefined();
  });
});
