/** The benchmarks `npm run bench` knows, in the order it runs them (cheapest first). */
import { runAckLatencyBench } from './ack-latency.bench';
import { runDashboardBench } from './dashboard.bench';
import { runFanoutBench } from './fanout.bench';
import { runFuzzBench } from './fuzz.bench';
import { runLargeRoomBench } from './large-room.bench';
import { runLateRecipientBench } from './late-recipient.bench';
import { runLoadBench } from './load.bench';
import { runProvisioningBench } from './provisioning.bench';
import { runChatLatencyBench } from './chat-latency.bench';
import { runRoomListBench } from './room-list.bench';
import { runTimelineScrollBench } from './timeline-scroll.bench';

/** One benchmark: a name to select it by, a title, and the function that runs it and logs figures. */
export interface BenchmarkEntry {
  name: string;
  title: string;
  /** Resolves to the benchmark's figures; a `summaryLine` there is printed as the run's last line. */
  run(log: (line: string) => void): Promise<unknown>;
}

export const BENCHMARKS: BenchmarkEntry[] = [
  {
    name: 'dashboard',
    title: 'aggregate 10,000 recipients of one circular and roll up the org tree',
    run: (log) => runDashboardBench({ log }),
  },
  {
    name: 'ack-latency',
    title: "acknowledgment to the issuer's open dashboard over the real homeserver (30 acks)",
    run: (log) => runAckLatencyBench({ log }),
  },
  {
    name: 'chat-latency',
    title: 'send-to-decrypted latency between two clients over 200 messages, encrypted vs plain',
    run: (log) => runChatLatencyBench({ log }),
  },
  {
    name: 'late-recipient',
    title:
      "a late recipient's first sign-in to the circular decrypted (20 recipients, key grant from an issuer device), beside the first sync",
    run: (log) => runLateRecipientBench({ log }),
  },
  {
    name: 'room-list',
    title: 'a user in 300 rooms: login and restart to an interactive room list',
    run: (log) => runRoomListBench({ log }),
  },
  {
    name: 'timeline',
    title:
      'a 10,000-message encrypted room in Chromium: paging in, then frame times of a scripted scroll vs static and empty pages',
    run: (log) => runTimelineScrollBench({ log }),
  },
  {
    name: 'fuzz',
    title:
      'hostile circular and ack events (10,000) through views and aggregation, hostile org specs and CSV through the planner',
    run: (log) => runFuzzBench({ log }),
  },
  {
    name: 'fanout',
    title:
      'one encrypted circular to 144 unit notice rooms (1,440 recipients) vs the same sends unencrypted',
    run: (log) => runFanoutBench({ log }),
  },
  {
    name: 'large-room',
    title:
      'a community notice room of 5,000 members with keys (HONGYAN_BENCH_SCALE scales it): a circular encrypted to every device vs the same send unencrypted, and its dashboard',
    run: (log) => runLargeRoomBench({ log }),
  },
  {
    name: 'load',
    title:
      '1,000 clients syncing (HONGYAN_LOAD_CLIENTS scales it): circulars, chat and acks on the worker topology and the single process',
    run: (log) => runLoadBench({ log }),
  },
  {
    // Last: at full scale it keeps Synapse busy for tens of minutes on two cores.
    name: 'provisioning',
    title:
      'apply and re-apply a synthetic province (1,450 units, 10,000 users; HONGYAN_BENCH_SCALE scales it)',
    run: (log) =>
      runProvisioningBench({ scale: Number(process.env.HONGYAN_BENCH_SCALE ?? 1), log }),
  },
];
