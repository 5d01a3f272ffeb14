/**
 * Synapse's access log, summed by endpoint: how many requests of each kind a run sent and the CPU
 * Synapse spent inside them. The provisioning benchmark prints it to show where a run's server CPU
 * goes (event persistence and the work after each event run outside requests and are not in it).
 */

/** Requests of one kind: method, path with IDs replaced, status. */
export interface EndpointCost {
  endpoint: string;
  count: number;
  /** CPU seconds (user + system) Synapse spent in these requests. */
  cpuSeconds: number;
  /** Database transactions these requests made. */
  transactions: number;
}

const PROCESSED =
  /Processed request: [\d.]+sec\/[\d.]+sec ru=\(([\d.]+)sec, ([\d.]+)sec\) db=\([\d.]+sec\/[\d.]+sec\/(\d+)\) \S+ (\d{3})\S* "(\w+) (\S+) /;

/**
 * The endpoint a request path stands for: room, user and alias IDs and state keys replaced, so one
 * line covers every room or user (`PUT /_matrix/client/v3/rooms/{room}/state/m.space.child/{key}`).
 */
export function endpointOf(method: string, rawPath: string): string {
  const p = (rawPath.split('?')[0] ?? '')
    .replace(/\/(!|%21)[^/]+/g, '/{room}')
    .replace(/\/(@|%40)[^/]+/g, '/{user}')
    .replace(/\/(#|%23)[^/]+/g, '/{alias}')
    .replace(/(\/state\/[^/]+)\/[^/]*$/, '$1/{key}');
  return `${method} ${p}`;
}

/** Sums the log's processed requests by endpoint and status, most CPU first. */
export function summarizeAccessLog(text: string): EndpointCost[] {
  const byEndpoint = new Map<string, EndpointCost>();
  for (const line of text.split('\n')) {
    const m = PROCESSED.exec(line);
    if (!m) continue;
    const [, user, system, txns, status, method, rawPath] = m;
    const endpoint = `${endpointOf(method ?? '', rawPath ?? '')} ${status ?? ''}`;
    const e = byEndpoint.get(endpoint) ?? { endpoint, count: 0, cpuSeconds: 0, transactions: 0 };
    e.count += 1;
    e.cpuSeconds += Number(user) + Number(system);
    e.transactions += Number(txns);
    byEndpoint.set(endpoint, e);
  }
  return [...byEndpoint.values()].sort((a, b) => b.cpuSeconds - a.cpuSeconds);
}
