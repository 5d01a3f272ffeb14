/** The benchmarks `npm run bench` knows, in the order it runs them (cheapest first). */
import { runDashboardBench } from './dashboard.bench';
import { runChatLatencyBench } from './chat-latency.bench';
import { runRoomListBench } from './room-list.bench';

/** One benchmark: a name to select it by, a title, and the function that runs it and logs figures. */
export interface BenchmarkEntry {
  name: string;
  title: string;
  run(log: (line: string) => void): Promise<unknown>;
}

export const BENCHMARKS: BenchmarkEntry[] = [
  {
    name: 'dashboard',
    title: 'aggregate 10,000 recipients of one circular and roll up the org tree',
    run: (log) => runDashboardBench({ log }),
  },
  {
    name: 'chat-latency',
    title: 'send-to-decrypted latency between two clients over 200 messages, encrypted vs plain',
    run: (log) => runChatLatencyBench({ log }),
  },
  {
    name: 'room-list',
    title: 'a user in 300 rooms: login and restart to an interactive room list',
    run: (log) => runRoomListBench({ log }),
  },
];
