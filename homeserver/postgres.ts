import { spawn } from 'node:child_process';
import path from 'node:path';
import { KitError } from './errors';
import type { PostgresUrl } from './kit-config';
import { KIT_DIR } from './paths';
import { canConnect } from './process-utils';

const TOOL = path.join(KIT_DIR, 'postgres-tool.py');

/** What PostgreSQL reports about a Synapse database. */
export interface DatabaseInfo {
  status: 'created' | 'exists';
  encoding: string;
  collate: string;
  ctype: string;
}

/** Connection details plus an optional libpq passfile (used when the password is not at hand). */
export interface PostgresTarget extends PostgresUrl {
  passfile?: string;
}

async function runTool(
  python: string,
  request: Record<string, unknown>,
): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    // The request travels on stdin: a password on the command line would show in `ps`.
    const child = spawn(python, [TOOL], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as Record<string, string>);
      } catch {
        reject(
          new KitError('The PostgreSQL helper failed', {
            code: 'database',
            details: stderr.trim().split('\n').slice(-5),
          }),
        );
      }
    });
    child.stdin.end(JSON.stringify(request));
  });
}

function describe(pg: PostgresTarget): string {
  return `postgres://${pg.user}@${pg.host}:${pg.port}/${pg.database}`;
}

/**
 * Creates the database Synapse needs (UTF8, C collation) when it does not exist yet, and checks
 * an existing one, so a wrongly created database fails here with a clear message.
 */
export async function ensurePostgresDatabase(
  python: string,
  pg: PostgresTarget,
): Promise<DatabaseInfo> {
  const result = await runTool(python, { action: 'ensure', ...pg });
  if (result.error !== undefined) {
    throw new KitError(
      `PostgreSQL at ${pg.host}:${pg.port} refused to prepare the database ${describe(pg)}:`,
      {
        code: 'database',
        details: result.error.split('\n'),
      },
    );
  }
  const info = result as unknown as DatabaseInfo;
  if (info.encoding !== 'UTF8' || info.collate !== 'C' || info.ctype !== 'C') {
    throw new KitError(
      `Database ${describe(pg)} has encoding ${info.encoding}, collation ${info.collate}/${info.ctype}; Synapse needs UTF8 with C collation.`,
      {
        code: 'database',
        details: [
          `Recreate it: CREATE DATABASE "${pg.database}" ENCODING 'UTF8' LC_COLLATE='C' LC_CTYPE='C' TEMPLATE template0;`,
        ],
      },
    );
  }
  return info;
}

/** Drops a database (used by the test harness to clean up its throwaway databases). */
export async function dropPostgresDatabase(python: string, pg: PostgresTarget): Promise<void> {
  const result = await runTool(python, { action: 'drop', ...pg });
  if (result.error !== undefined) {
    throw new KitError(`Could not drop ${describe(pg)}:`, {
      code: 'database',
      details: result.error.split('\n'),
    });
  }
}

/** Whether a PostgreSQL server accepts TCP connections at host:port. */
export function isPostgresReachable(host = '127.0.0.1', port = 5432): Promise<boolean> {
  return canConnect(host, port);
}
