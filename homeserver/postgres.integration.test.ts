import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgresReachable } from './postgres';
import { startTestHomeserver } from './testing';
import type { TestHomeserver } from './testing';
import { ensureVenv } from './venv';

// A PostgreSQL with trust auth for user postgres, as on the development machines and CI.
const SERVER_URL =
  process.env.HONGYAN_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const server = new URL(SERVER_URL);
const reachable = await isPostgresReachable(server.hostname, Number(server.port || 5432));
if (!reachable) {
  console.warn(
    `Skipping the PostgreSQL homeserver tests: nothing accepts connections at ${server.hostname}:${server.port || 5432}.`,
  );
}

async function databaseNames(): Promise<string[]> {
  const { python } = await ensureVenv();
  const script = [
    'import psycopg2, sys',
    'c = psycopg2.connect(host=sys.argv[1], port=int(sys.argv[2]), user=sys.argv[3], dbname="postgres")',
    'cur = c.cursor(); cur.execute("SELECT datname FROM pg_database"); print("\\n".join(r[0] for r in cur.fetchall()))',
  ].join('\n');
  const { stdout } = await promisify(execFile)(python, [
    '-c',
    script,
    server.hostname,
    server.port || '5432',
    server.username || 'postgres',
  ]);
  return stdout.trim().split('\n');
}

describe.skipIf(!reachable)('a kit homeserver on PostgreSQL', () => {
  let hs: TestHomeserver;
  let database: string | undefined;

  beforeAll(async () => {
    const before = new Set(await databaseNames());
    hs = await startTestHomeserver({ databaseUrl: SERVER_URL });
    database = (await databaseNames()).find(
      (name) => !before.has(name) && name.startsWith('hongyan_test_'),
    );
  });
  afterAll(async () => {
    await hs?.dispose();
  });

  it('runs on a fresh database of its own instead of SQLite', () => {
    expect(database).toBeDefined();
    expect(hs.databasePath).toBeUndefined();
  });

  it('serves a password login for a user registered through the admin API', async () => {
    const user = await hs.registerUser({ username: 'lin', password: 'a long test password' });
    const res = await fetch(`${hs.baseUrl}/_matrix/client/v3/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'm.login.password',
        identifier: { type: 'm.id.user', user: 'lin' },
        password: 'a long test password',
      }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user_id: string }).user_id).toBe(user.userId);
  });

  it('drops its database on dispose', async () => {
    await hs.dispose();
    expect(await databaseNames()).not.toContain(database);
  });
});
