/**
 * A private OpenLDAP server (Debian's slapd) for tests and the demo: generated config in a temp dir,
 * an MDB database there, listening on a free loopback port. Standing in for the province's staff
 * directory behind its identity platform.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../process-utils';

/** Where Debian installs slapd and its schemas (`apt-get install slapd ldap-utils`). */
export const SLAPD_BINARY = process.env.HONGYAN_SLAPD ?? '/usr/sbin/slapd';
const SCHEMA_DIR = '/etc/ldap/schema';

/** A running directory server. */
export interface RunningSlapd {
  /** `ldap://127.0.0.1:<port>`. */
  uri: string;
  /** Directory suffix, e.g. `dc=demo,dc=gov,dc=cn`. */
  suffix: string;
  /** The directory manager (may write everything). */
  rootDn: string;
  rootPassword: string;
  /** Stops slapd and deletes its files. */
  dispose(): Promise<void>;
}

function slapdConf(dir: string, suffix: string, rootDn: string, rootPassword: string): string {
  return [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include ${SCHEMA_DIR}/${s}.schema`),
    `pidfile ${path.join(dir, 'slapd.pid')}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'database mdb',
    'maxsize 67108864',
    `suffix "${suffix}"`,
    `rootdn "${rootDn}"`,
    `rootpw ${rootPassword}`,
    `directory ${path.join(dir, 'db')}`,
    // People bind with their own password; nobody reads password hashes; the rest is readable
    // after binding (the homeserver's LDAP module searches anonymously before it binds as the user).
    'access to attrs=userPassword by self write by anonymous auth by * none',
    'access to * by * read',
    '',
  ].join('\n');
}

async function untilListening(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    if (child.exitCode !== null) throw new Error(`slapd exited (${child.exitCode}): ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`slapd did not listen on ${port}: ${log()}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** Starts a private slapd with an empty directory under `suffix` (its root entry included). */
export async function startSlapd(opts: { suffix?: string } = {}): Promise<RunningSlapd> {
  if (!existsSync(SLAPD_BINARY))
    throw new Error(`slapd not found at ${SLAPD_BINARY} (apt-get install slapd ldap-utils)`);
  const suffix = opts.suffix ?? 'dc=demo,dc=gov,dc=cn';
  const rootDn = `cn=admin,${suffix}`;
  const rootPassword = randomBytes(18).toString('base64url');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hongyan-slapd-'));
  await mkdir(path.join(dir, 'db'), { mode: 0o700 });
  const conf = path.join(dir, 'slapd.conf');
  await writeFile(conf, slapdConf(dir, suffix, rootDn, rootPassword), { mode: 0o600 });
  const port = await findFreePort('127.0.0.1');
  const uri = `ldap://127.0.0.1:${port}`;
  // `-d 0`: stay in the foreground (so the child is slapd itself) without debug output.
  const child = spawn(SLAPD_BINARY, ['-f', conf, '-h', `${uri}/`, '-d', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await untilListening(port, child, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return { uri, suffix, rootDn, rootPassword, dispose: stop };
}
