/**
 * The floor of the provisioning benchmark: what the server under test charges for the bare
 * operations provisioning performs (empty rooms, admin joins, accounts), how many of each an apply
 * plans, and the server's CPU readings (Linux /proc) the figures are printed with.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { seg, SynapseClient } from '../admin/synapse-client';
import type { TestHomeserver } from '../homeserver/testing';
import { runBounded } from '../shared/concurrency';
import { buildDesiredState } from '../shared/org/desired-state';
import { summarizePlan } from '../shared/org/plan-types';
import { planOrg } from '../shared/org/planner';
import type { OrgSpec } from '../shared/org/spec-types';

/**
 * CPU seconds used so far by the processes whose command line contains every marker (Linux /proc),
 * or undefined when there is none or no /proc.
 */
function processCpuSeconds(markers: readonly string[]): number | undefined {
  let total: number | undefined;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined; // Not Linux: CPU figures are extra information only.
  }
  for (const pid of pids) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!markers.every((m) => cmd.includes(m))) continue;
      const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
      total = (total ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // The process went away between listing and reading.
    }
  }
  return total;
}

/** CPU seconds used so far by the Synapse serving `dataDir`. */
export const synapseCpuSeconds = (dataDir: string): number | undefined =>
  processCpuSeconds(['synapse', dataDir]);

/**
 * CPU seconds used so far by the PostgreSQL backends serving the Synapse in `dataDir` (found by the
 * database name in their process titles), or undefined on SQLite. Synapse keeps its connections
 * open, so the sum covers its database work; on SQLite that work is inside Synapse's own figure.
 */
export function databaseCpuSeconds(dataDir: string): number | undefined {
  let yaml: string;
  try {
    yaml = readFileSync(path.join(dataDir, 'homeserver.yaml'), 'utf8');
  } catch {
    return undefined;
  }
  const name = /name: psycopg2[\s\S]*?\bdatabase: (\S+)/.exec(yaml)?.[1];
  return name === undefined ? undefined : processCpuSeconds(['postgres:', ` ${name} `]);
}

/** Operation counts of an apply. */
export interface OpCounts {
  rooms: number;
  joins: number;
  users: number;
}

/** Seconds per bare operation, sampled on the server under test. */
export type OpCosts = OpCounts;

export const costOf = (counts: OpCounts, per: OpCosts): number =>
  counts.rooms * per.rooms + counts.joins * per.joins + counts.users * per.users;

/** The operation counts of applying a spec to an empty server (pure planning, no server). */
export function plannedCounts(spec: OrgSpec): OpCounts {
  const desired = buildDesiredState({
    spec,
    serverName: 'bench.invalid',
    adminUserId: '@admin:bench.invalid',
  });
  const plan = planOrg({
    desired,
    snapshot: {
      serverName: 'bench.invalid',
      adminUserId: '@admin:bench.invalid',
      rooms: [],
      users: [],
    },
  });
  const n = summarizePlan(plan);
  return { rooms: n['create-room'] ?? 0, joins: n.join ?? 0, users: n['create-user'] ?? 0 };
}

/** Per-operation floor costs: wall-clock seconds, and Synapse CPU seconds where /proc tells. */
export interface Floor {
  wall: OpCosts;
  cpu?: OpCosts;
}

/**
 * Samples the server's own cost of the bare operations provisioning performs (empty rooms, admin
 * joins, accounts): the floor any provisioning of the same counts pays, with no logic around it.
 * CPU figures are immune to other load on the machine; wall-clock ones are not.
 */
export async function measureFloor(hs: TestHomeserver): Promise<Floor> {
  const client = new SynapseClient({ baseUrl: hs.baseUrl, token: hs.admin.accessToken });
  const sample = 40;
  const time = async (
    fn: (i: number) => Promise<unknown>,
  ): Promise<{ wall: number; cpu?: number }> => {
    const cpuBefore = synapseCpuSeconds(hs.dataDir);
    const started = performance.now();
    await runBounded({
      items: [...Array(sample).keys()],
      concurrency: 4,
      fn: async (i) => void (await fn(i)),
    });
    const wall = (performance.now() - started) / 1000 / sample;
    const cpuAfter = synapseCpuSeconds(hs.dataDir);
    return cpuBefore === undefined || cpuAfter === undefined
      ? { wall }
      : { wall, cpu: (cpuAfter - cpuBefore) / sample };
  };
  const users = [...Array(sample).keys()].map((i) => `@floor${i}:${hs.serverName}`);
  const user = await time((i) =>
    client.request('PUT', `/_synapse/admin/v2/users/${seg(users[i] as string)}`, {
      body: { password: `floor-password-${i}`, displayname: '基线' },
    }),
  );
  const rooms: string[] = [];
  const room = await time(async () =>
    rooms.push(
      (
        await client.request<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', {
          body: { preset: 'private_chat' },
        })
      ).room_id,
    ),
  );
  const join = await time((i) =>
    client.request('POST', `/_synapse/admin/v1/join/${seg(rooms[i % rooms.length] as string)}`, {
      body: { user_id: users[i] },
    }),
  );
  const wall = { rooms: room.wall, joins: join.wall, users: user.wall };
  if (room.cpu === undefined || join.cpu === undefined || user.cpu === undefined) return { wall };
  return { wall, cpu: { rooms: room.cpu, joins: join.cpu, users: user.cpu } };
}
