/**
 * Backup and restore of a kit instance (`npm run hs -- backup|restore`): the database, the media
 * store, the secrets (signing key, macaroon, registration and form secrets, admin credentials), the
 * kit settings and the audit log. A restore onto a fresh data directory brings back the same server:
 * same name and signing key, the old history, and sessions whose devices still hold their keys.
 * See docs/backup.md.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { KitError } from './errors';
import type { HomeserverInstance } from './instance';
import { instancePaths } from './paths';

/** What a backup holds, with a SHA-256 per file so a restore refuses a damaged copy. */
export interface BackupManifest {
  format: 1;
  createdAt: string;
  serverName: string;
  files: { path: string; size: number; sha256: string; mode: number }[];
}

const MANIFEST = 'manifest.json';
/** SQLite files copied as consistent snapshots (`VACUUM INTO`), even while Synapse writes. */
const SQLITE_FILES = ['homeserver.db', 'audit.db'];
/** Trees and files copied as they are. Generated config, logs and the pid file are not kept. */
const COPIED = ['kit.yaml', 'conf.d', 'secrets', 'media_store'];

async function walk(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full, base)));
    else if (entry.isFile()) out.push(path.relative(base, full));
  }
  return out.sort();
}

async function sha256(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  if (!existsSync(dir)) return true;
  return (await readdir(dir)).length === 0;
}

/** A consistent copy of a live SQLite database, taken in one read transaction. */
function snapshotSqlite(from: string, to: string): void {
  const db = new DatabaseSync(from);
  try {
    db.exec('PRAGMA busy_timeout = 30000');
    db.prepare('VACUUM INTO ?').run(to);
  } finally {
    db.close();
  }
}

/**
 * Writes a backup of the instance into `outDir` (which must not exist or be empty). Works while
 * Synapse runs: the database is snapshotted first, then the media, which only ever grows. The
 * backup appears under its name only when complete.
 */
export async function backupInstance(
  instance: HomeserverInstance,
  outDir: string,
): Promise<BackupManifest> {
  if (instance.postgres)
    throw new KitError(
      `${instance.paths.dataDir} uses PostgreSQL: back the database up with pg_dump (see docs/backup.md); this command covers SQLite instances`,
    );
  const target = path.resolve(outDir);
  if (!(await isEmptyOrMissing(target)))
    throw new KitError(`${target} already exists and is not empty; choose a new backup directory`);
  const work = `${target}.partial-${randomBytes(4).toString('hex')}`;
  await mkdir(work, { recursive: true, mode: 0o700 });
  try {
    const { dataDir } = instance.paths;
    for (const name of SQLITE_FILES) {
      const from = path.join(dataDir, name);
      if (existsSync(from)) snapshotSqlite(from, path.join(work, name));
    }
    for (const name of COPIED) {
      const from = path.join(dataDir, name);
      if (existsSync(from))
        await cp(from, path.join(work, name), { recursive: true, preserveTimestamps: true });
    }
    const files: BackupManifest['files'] = [];
    for (const rel of await walk(work)) {
      const full = path.join(work, rel);
      const s = await stat(full);
      files.push({ path: rel, size: s.size, sha256: await sha256(full), mode: s.mode & 0o777 });
    }
    const manifest: BackupManifest = {
      format: 1,
      createdAt: new Date().toISOString(),
      serverName: instance.serverName,
      files,
    };
    await writeFile(path.join(work, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, {
      mode: 0o600,
    });
    if (existsSync(target)) await rm(target, { recursive: true });
    await rename(work, target);
    return manifest;
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  }
}

async function readManifest(fromDir: string): Promise<BackupManifest> {
  const file = path.join(fromDir, MANIFEST);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new KitError(
      `${fromDir} is not a complete backup: ${MANIFEST} is missing or unreadable (${(err as Error).message})`,
    );
  }
  const m = data as Partial<BackupManifest>;
  if (m.format !== 1 || typeof m.serverName !== 'string' || !Array.isArray(m.files))
    throw new KitError(`${file} is not a backup manifest of this kit (format 1)`);
  for (const f of m.files)
    if (
      typeof f.path !== 'string' ||
      path.isAbsolute(f.path) ||
      f.path.split(/[\\/]/).includes('..')
    )
      throw new KitError(`${file} names a file outside the backup: ${String(f.path)}`);
  return m as BackupManifest;
}

/**
 * Restores a backup into `dataDir`, which must be fresh (missing or empty). Every file is checked
 * against the manifest first; nothing is written when one is missing or differs. Start the server
 * with `npm run hs -- start --data-dir DIR` afterwards (the Synapse config is generated then).
 */
export async function restoreBackup(fromDir: string, dataDir: string): Promise<BackupManifest> {
  const from = path.resolve(fromDir);
  const manifest = await readManifest(from);
  for (const f of manifest.files) {
    const file = path.join(from, f.path);
    if (!existsSync(file)) throw new KitError(`the backup is damaged: ${f.path} is missing`);
    if ((await sha256(file)) !== f.sha256)
      throw new KitError(`the backup is damaged: ${f.path} does not match its checksum`);
  }
  const target = path.resolve(dataDir);
  if (!(await isEmptyOrMissing(target)))
    throw new KitError(
      `${target} is not empty; restore only into a fresh data directory (stop and move the old one aside first)`,
    );
  const work = `${target}.restoring-${randomBytes(4).toString('hex')}`;
  await mkdir(work, { recursive: true, mode: 0o700 });
  try {
    for (const f of manifest.files) {
      const to = path.join(work, f.path);
      await mkdir(path.dirname(to), { recursive: true, mode: 0o700 });
      await cp(path.join(from, f.path), to);
      await chmod(to, f.mode);
    }
    await chmod(instancePaths(work).secretsDir, 0o700).catch(() => undefined);
    if (existsSync(target)) await rm(target, { recursive: true });
    await rename(work, target);
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  }
  return manifest;
}
