/** What the kit's `status` and `logs` commands show of the worker topology. */
import { existsSync } from 'node:fs';
import type { HomeserverInstance } from '../instance';
import { followLog, printLogTail } from '../log-tail';
import { logFile, topologyPaths, topologyProcesses } from './layout';
import type { ProcessStatus } from './workers-lifecycle';

/** One line per process: name, state, pid, port, restarts. */
export function formatProcesses(processes: readonly ProcessStatus[]): string[] {
  if (processes.length === 0) return ['(no process running)'];
  const width = Math.max(...processes.map((p) => p.name.length));
  return processes.map((p) => {
    const restarts =
      p.restarts > 0 ? `, restarted ${p.restarts}× (last: ${p.lastExit ?? 'unknown'})` : '';
    const pid = p.pid === undefined ? '' : ` pid ${p.pid}`;
    const port = p.port === undefined ? '' : ` port ${p.port}`;
    return `${p.name.padEnd(width)}  ${p.state}${pid}${port}${restarts}`;
  });
}

/** The log files of every process, in start order. */
function topologyLogs(instance: HomeserverInstance): Array<{ name: string; file: string }> {
  const tp = topologyPaths(instance.paths);
  const ports = {
    mainClient: 0,
    mainReplication: 0,
    persister: 0,
    federationSender: 0,
    generic: Array.from({ length: instance.config.genericWorkers }, () => 0),
  };
  return topologyProcesses(ports, instance.config.port)
    .filter((p) => p.kind !== 'postgres' || !instance.config.databaseUrl)
    .map((p) => ({ name: p.name, file: logFile(instance.paths, tp, p.name) }));
}

/**
 * Prints the end of each process's log under a `==> name <==` header; with `follow`, keeps
 * printing new lines of all of them, each prefixed with its process's name.
 */
export async function printTopologyLogs(
  instance: HomeserverInstance,
  lines: number,
  follow: boolean,
  write: (chunk: string) => void,
): Promise<void> {
  const logs = topologyLogs(instance);
  for (const { name, file } of logs) {
    if (!existsSync(file)) continue;
    write(`==> ${name} (${file}) <==\n`);
    await printLogTail(file, lines, write);
  }
  if (!follow) return;
  await Promise.all(
    logs.map(({ name, file }) =>
      followLog(file, (chunk) =>
        write(
          chunk
            .split('\n')
            .map((l, i, all) => (i === all.length - 1 && l === '' ? '' : `[${name}] ${l}`))
            .join('\n'),
        ),
      ),
    ),
  );
}
