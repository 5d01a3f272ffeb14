/**
 * The kit's own PostgreSQL cluster for the worker topology: created once with initdb in the data
 * directory, listening only on a Unix socket inside it. Nothing outside the data directory's owner
 * can connect, so the cluster needs no password; nothing listens on TCP.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { KitError } from '../errors';
import type { RunAs } from './system-packages';
import { PRIVATE_DATABASE_USER, PRIVATE_SOCKET_PORT } from './worker-config';

const execFileAsync = promisify(execFile);

/** The socket file the cluster listens on. */
export function postgresSocket(pgData: string): string {
  return path.join(pgData, `.s.PGSQL.${PRIVATE_SOCKET_PORT}`);
}

/**
 * Creates the cluster when `pgData` holds none yet: UTF8 with C collation (Synapse refuses any
 * other), trust authentication on the local socket only. When the kit runs as root, the cluster
 * belongs to `runAs` (PostgreSQL refuses root) and the data directory becomes traversable
 * (0711, not listable) so that account reaches it; every file in it stays owner-only.
 */
export async function ensureCluster(
  postgresBin: string,
  pgData: string,
  runAs: RunAs | undefined,
): Promise<'created' | 'exists'> {
  if (existsSync(path.join(pgData, 'PG_VERSION'))) return 'exists';
  await mkdir(pgData, { recursive: true, mode: 0o700 });
  if (runAs) {
    await chmod(path.dirname(pgData), 0o711);
    await chown(pgData, runAs.uid, runAs.gid);
  }
  try {
    await execFileAsync(
      path.join(postgresBin, 'initdb'),
      [
        '-D',
        pgData,
        '-U',
        PRIVATE_DATABASE_USER,
        '--auth-local=trust',
        '--auth-host=reject',
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}), cwd: pgData },
    );
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? (err as Error).message);
    throw new KitError(`initdb could not create the kit's PostgreSQL cluster in ${pgData}:`, {
      code: 'database',
      details: stderr.trim().split('\n').slice(-5),
    });
  }
  return 'created';
}

/** The `postgres` command line of the cluster: Unix socket only, enough connections for every process. */
export function postgresCommand(postgresBin: string, pgData: string): string[] {
  return [
    path.join(postgresBin, 'postgres'),
    '-D',
    pgData,
    '-k',
    pgData,
    '-p',
    String(PRIVATE_SOCKET_PORT),
    '-c',
    'listen_addresses=',
    '-c',
    'max_connections=200',
    '-c',
    'shared_buffers=256MB',
  ];
}
