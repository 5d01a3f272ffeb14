/**
 * Writes the worker topology's generated files for one start: the shared homeserver.yaml, one
 * file per worker, nginx.conf and redis.conf, with the internal ports picked for this start.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import type { SynapseConfig } from '../config-builder';
import type { HomeserverInstance } from '../instance';
import { findFreePort } from '../process-utils';
import { writeOwnerOnly } from '../secrets';
import { randomBytes } from 'node:crypto';
import type { InternalPorts, TopologyPaths } from './layout';
import { EVENT_PERSISTER, FEDERATION_SENDER, genericWorkerNames } from './layout';
import { renderNginxConfig } from './nginx-config';
import { buildSharedWorkerConfig, buildWorkerFile, renderWorkersYaml } from './worker-config';

/** Picks distinct free loopback ports for the internal listeners. */
export async function pickInternalPorts(genericWorkers: number): Promise<InternalPorts> {
  const taken = new Set<number>();
  const next = async (): Promise<number> => {
    for (;;) {
      const port = await findFreePort('127.0.0.1');
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  const ports: InternalPorts = {
    mainClient: await next(),
    mainReplication: await next(),
    persister: await next(),
    federationSender: await next(),
    generic: [],
  };
  for (let i = 0; i < genericWorkers; i++) ports.generic.push(await next());
  return ports;
}

/** The config-file arguments of one Synapse process (shared config, overrides, its worker file). */
export function configArgs(
  instance: HomeserverInstance,
  tp: TopologyPaths,
  name: string,
  hasOverrides: boolean,
): string[] {
  const args = ['--config-path', instance.paths.homeserverYaml];
  if (hasOverrides) args.push('--config-path', instance.paths.confDir);
  if (name !== 'main') args.push('--config-path', path.join(tp.workersDir, `${name}.yaml`));
  return [...args, '--no-secrets-in-config'];
}

/** Writes every generated file of the topology for this start. */
export async function writeTopologyFiles(
  instance: HomeserverInstance,
  tp: TopologyPaths,
  ports: InternalPorts,
  asRoot: boolean,
): Promise<void> {
  const kit = instance.config;
  // A fresh run dir each start: stale sockets, pid and state files of a crashed run must go.
  await rm(tp.runDir, { recursive: true, force: true });
  for (const dir of [tp.runDir, tp.logDir, tp.workersDir])
    await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(tp.replicationSecret))
    await writeOwnerOnly(tp.replicationSecret, `${randomBytes(48).toString('base64url')}\n`);

  // prepareInstance wrote the single-process config for this start; the topology's shared config
  // is derived from it, so every hardened setting and option stays as the builder made it.
  const base = parse(await readFile(instance.paths.homeserverYaml, 'utf8')) as SynapseConfig;
  const shared = buildSharedWorkerConfig({ base, kit, tp, ports });
  await writeOwnerOnly(instance.paths.homeserverYaml, renderWorkersYaml(shared));
  const workers = [EVENT_PERSISTER, FEDERATION_SENDER, ...genericWorkerNames(ports.generic.length)];
  for (const name of workers) {
    await writeOwnerOnly(
      path.join(tp.workersDir, `${name}.yaml`),
      renderWorkersYaml(buildWorkerFile(name, kit, ports)),
    );
  }
  await writeFile(tp.nginxConf, renderNginxConfig({ kit, ports, runDir: tp.runDir, asRoot }), {
    mode: 0o600,
  });
  // Unix socket only, in the 0700 run dir: no TCP port, no password needed. Nothing is persisted:
  // Synapse uses Redis for replication messages and a cache, never as a store.
  await writeFile(
    tp.redisConf,
    [
      'port 0',
      `unixsocket ${tp.redisSocket}`,
      'unixsocketperm 700',
      'save ""',
      'appendonly no',
      'daemonize no',
      `dir ${tp.runDir}`,
      'logfile ""',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
}
