/**
 * The Debian programs the worker topology runs besides Synapse: nginx, redis-server and PostgreSQL's
 * server binaries. Finds them, or fails naming the package to install.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KitError } from '../errors';

/** Where each program of the topology lives on this machine. */
export interface SystemPrograms {
  nginx: string;
  redisServer: string;
  /** PostgreSQL's `bin` directory (initdb, postgres), newest installed major version. */
  postgresBin: string;
}

const SEARCH_PATH = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];

function which(name: string, dirs: readonly string[]): string | undefined {
  return dirs.map((d) => path.join(d, name)).find((p) => existsSync(p));
}

/** Where {@link findSystemPrograms} looks (tests point it at empty directories). */
export interface ProgramSearch {
  /** Directories searched for nginx and redis-server: PATH and the usual system dirs by default. */
  dirs?: readonly string[];
  /** Where PostgreSQL's versioned server directories live (`/usr/lib/postgresql`). */
  postgresRoot?: string;
}

function newestPostgresBin(root = '/usr/lib/postgresql'): string | undefined {
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], 'bin');
}

function missing(program: string, pkg: string): KitError {
  return new KitError(
    `The workers topology needs ${program}, which is not installed. On Debian/Ubuntu: apt-get install ${pkg}` +
      ' (./hongyan test installs it).',
    { code: 'missing-package' },
  );
}

/** Finds nginx, redis-server and PostgreSQL, or throws naming the first missing Debian package. */
export function findSystemPrograms(search: ProgramSearch = {}): SystemPrograms {
  const dirs = search.dirs ?? [
    ...(process.env.PATH ?? '').split(':').filter(Boolean),
    ...SEARCH_PATH,
  ];
  const nginx = which('nginx', dirs);
  if (!nginx) throw missing('nginx', 'nginx');
  const redisServer = which('redis-server', dirs);
  if (!redisServer) throw missing('redis-server', 'redis-server');
  const postgresBin = newestPostgresBin(search.postgresRoot);
  if (!postgresBin || !existsSync(path.join(postgresBin, 'postgres')))
    throw missing('the PostgreSQL server (initdb, postgres)', 'postgresql');
  return { nginx, redisServer, postgresBin };
}

/** An OS account to run PostgreSQL as: PostgreSQL refuses to run as root. */
export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/**
 * The account PostgreSQL runs as: this process's own account, or, when the kit runs as root (a
 * container, CI), the `postgres` account that Debian's package creates.
 */
export function postgresAccount(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined)
    throw new KitError(
      'PostgreSQL refuses to run as root and there is no "postgres" account to run it as; ' +
        'run the kit as an ordinary user, or apt-get install postgresql (it creates the account).',
      { code: 'missing-package' },
    );
  return { uid: Number(uid), gid: Number(gid), name: 'postgres' };
}
