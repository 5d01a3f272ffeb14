import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSynapseConfig } from '../config-builder';
import { mergeKitConfig } from '../kit-config';
import { instancePaths } from '../paths';
import { topologyPaths } from './layout';
import type { InternalPorts } from './layout';
import { renderNginxConfig } from './nginx-config';
import { findSystemPrograms } from './system-packages';
import { formatProcesses } from './topology-cli';
import { buildSharedWorkerConfig, buildWorkerFile } from './worker-config';

const paths = instancePaths('/srv/hy');
const tp = topologyPaths(paths);
const ports: InternalPorts = {
  mainClient: 9001,
  mainReplication: 9002,
  persister: 9003,
  federationSender: 9004,
  generic: [9005, 9006],
};
const kit = mergeKitConfig(undefined, { topology: 'workers', genericWorkers: 2, port: 8448 + 1 });
const base = buildSynapseConfig({ kit, paths });

describe('the worker topology config', () => {
  it('keeps every hardened setting of the single process and moves duties to the workers', () => {
    const shared = buildSharedWorkerConfig({ base, kit, tp, ports });
    for (const key of [
      'enable_registration',
      'presence',
      'url_preview_enabled',
      'trusted_key_servers',
    ])
      expect(shared[key as keyof typeof shared]).toEqual(base[key as keyof typeof base]);
    expect(shared.stream_writers).toEqual({ events: 'event_persister1' });
    expect(shared.federation_sender_instances).toEqual(['federation_sender1']);
    expect(shared.instance_map).toEqual({
      main: { host: '127.0.0.1', port: 9002 },
      event_persister1: { host: '127.0.0.1', port: 9003 },
    });
    // Redis on a socket in the 0700 data dir; PostgreSQL on the kit's own cluster's socket.
    expect(shared.redis).toEqual({ enabled: true, path: '/srv/hy/run/redis.sock' });
    expect(shared.database).toMatchObject({
      name: 'psycopg2',
      args: { host: '/srv/hy/postgres', database: 'synapse' },
    });
    expect(shared.worker_replication_secret_path).toBe('/srv/hy/secrets/worker_replication_secret');
    // Every listener on loopback; the public port belongs to nginx.
    expect(shared.listeners.map((l) => l['bind_addresses'])).toEqual([
      ['127.0.0.1'],
      ['127.0.0.1'],
    ]);
    expect(shared.listeners.map((l) => l['port'])).toEqual([9001, 9002]);
  });

  it('gives the persister a replication listener and the generic workers a client listener', () => {
    expect(buildWorkerFile('event_persister1', kit, ports)).toMatchObject({
      worker_app: 'synapse.app.generic_worker',
      worker_listeners: [{ port: 9003, resources: [{ names: ['replication'] }] }],
    });
    expect(buildWorkerFile('generic_worker2', kit, ports)).toMatchObject({
      worker_name: 'generic_worker2',
      worker_listeners: [
        { port: 9006, bind_addresses: ['127.0.0.1'], resources: [{ names: ['client'] }] },
      ],
    });
    expect(() => buildWorkerFile('stranger', kit, ports)).toThrow('unknown worker');
  });

  it('routes /sync by user and client writes to the generic workers, the rest to main', () => {
    const conf = renderNginxConfig({ kit, ports, runDir: '/srv/hy/run', asRoot: false });
    expect(conf).toContain('listen 127.0.0.1:8449;');
    expect(conf).toMatch(
      /upstream synapse_sync \{\s+hash \$mxid_localpart consistent;\s+server 127.0.0.1:9005;\s+server 127.0.0.1:9006;/,
    );
    expect(conf).toContain(
      'location ~ ^/_matrix/client/(r0|v3)/sync$ { proxy_pass http://synapse_sync; }',
    );
    expect(conf).toMatch(/location ~ \S+\/login\$ \{ proxy_pass http:\/\/synapse_generic; \}/);
    expect(conf).toContain('location ^~ /_synapse/admin { proxy_pass http://synapse_main; }');
    expect(conf).toContain('location / { return 404; }');
    expect(conf).toContain(
      'location = /.well-known/matrix/client { proxy_pass http://synapse_main; }',
    );
    expect(conf).not.toContain('user root');
    // No federation server block while federation is off.
    expect(conf.match(/listen /g)).toHaveLength(1);
  });
});

describe('finding the Debian programs', () => {
  it('names the package to install when a program is missing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hongyan-pkgs-'));
    try {
      const search = { dirs: [dir], postgresRoot: path.join(dir, 'postgresql') };
      expect(() => findSystemPrograms(search)).toThrow('apt-get install nginx');
      await writeFile(path.join(dir, 'nginx'), '');
      expect(() => findSystemPrograms(search)).toThrow('apt-get install redis-server');
      await writeFile(path.join(dir, 'redis-server'), '');
      expect(() => findSystemPrograms(search)).toThrow('apt-get install postgresql');
      await mkdir(path.join(dir, 'postgresql', '15', 'bin'), { recursive: true });
      for (const f of ['initdb', 'postgres'])
        await writeFile(path.join(dir, 'postgresql', '15', 'bin', f), '');
      expect(findSystemPrograms(search)).toEqual({
        nginx: path.join(dir, 'nginx'),
        redisServer: path.join(dir, 'redis-server'),
        postgresBin: path.join(dir, 'postgresql', '15', 'bin'),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('status of the topology', () => {
  it('lists each process with its pid and port, and says how often a crashed one was restarted', () => {
    expect(
      formatProcesses([
        { name: 'main', state: 'running', pid: 10, port: 9001, restarts: 0 },
        {
          name: 'event_persister1',
          state: 'running',
          pid: 12,
          port: 9003,
          restarts: 2,
          lastExit: 'signal SIGKILL',
        },
        { name: 'nginx', state: 'failed', restarts: 10, lastExit: 'exit code 1' },
      ]),
    ).toEqual([
      'main              running pid 10 port 9001',
      'event_persister1  running pid 12 port 9003, restarted 2× (last: signal SIGKILL)',
      'nginx             failed, restarted 10× (last: exit code 1)',
    ]);
    expect(formatProcesses([])).toEqual(['(no process running)']);
  });
});
