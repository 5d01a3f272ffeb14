import { describe, expect, it } from 'vitest';
import { endpointOf, summarizeAccessLog } from './access-log';

const line = (ru: string, txns: number, request: string, status = 200): string =>
  `2026-12-05 14:12:52,064 - synapse.access.http.44115 - 643 - INFO - POST-1077 - 127.0.0.1 - 44115 - {@a:hs} Processed request: 2.019sec/0.000sec ru=(${ru}) db=(0.418sec/0.643sec/${txns}) 46B ${status} "${request} HTTP/1.1" "node" [36 dbevts]`;

describe('Synapse access log by endpoint', () => {
  it('names rooms, users, aliases and state keys by kind, so each endpoint is one line', () => {
    expect(endpointOf('POST', '/_matrix/client/v3/join/%21abc%3Ahs?server_name=hs')).toBe(
      'POST /_matrix/client/v3/join/{room}',
    );
    expect(
      endpointOf('PUT', '/_matrix/client/v3/rooms/!abc:hs/state/m.space.child/%21def%3Ahs'),
    ).toBe('PUT /_matrix/client/v3/rooms/{room}/state/m.space.child/{key}');
    expect(endpointOf('PUT', '/_synapse/admin/v2/users/%40li.si%3Ahs')).toBe(
      'PUT /_synapse/admin/v2/users/{user}',
    );
    expect(endpointOf('GET', '/_matrix/client/v3/directory/room/%23u-1%3Ahs')).toBe(
      'GET /_matrix/client/v3/directory/room/{alias}',
    );
  });

  it('sums count, CPU and transactions per endpoint and status, most CPU first', () => {
    const log = [
      line('0.010sec, 0.002sec', 17, 'POST /_matrix/client/v3/join/!a:hs'),
      'an unrelated line',
      line('0.005sec, 0.001sec', 18, 'POST /_matrix/client/v3/join/!b:hs'),
      line('0.050sec, 0.010sec', 66, 'POST /_matrix/client/v3/createRoom'),
      line('0.001sec, 0.000sec', 1, 'POST /_matrix/client/v3/join/!c:hs', 403),
    ].join('\n');
    const summary = summarizeAccessLog(log);
    expect(summary.map((e) => [e.endpoint, e.count, e.transactions])).toEqual([
      ['POST /_matrix/client/v3/createRoom 200', 1, 66],
      ['POST /_matrix/client/v3/join/{room} 200', 2, 35],
      ['POST /_matrix/client/v3/join/{room} 403', 1, 1],
    ]);
    expect(summary[1]?.cpuSeconds).toBeCloseTo(0.018);
  });
});
