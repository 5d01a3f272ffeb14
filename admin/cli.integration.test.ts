/**
 * The admin CLI end to end against a real Synapse: an apply killed mid-way (SIGKILL, no clean-up),
 * a second apply that finishes the job, a third that writes nothing, and the secrets it handles;
 * the audit log those commands write, its anchors, and a truncation caught by `audit verify`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DatabaseSync } from 'node:sqlite';
import { startTestHomeserver } from '../homeserver/testing';
import type { TestHomeserver } from '../homeserver/testing';
import { generateSyntheticProvince } from '../shared/org/synthetic-spec';

const ROOT = path.join(import.meta.dirname, '..');
let hs: TestHomeserver;
let dir: string;

beforeAll(async () => {
  hs = await startTestHomeserver({ bcryptRounds: 4 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'hy-cli-'));
  await writeFile(path.join(dir, 'token'), hs.admin.accessToken, { mode: 0o600 });
  const spec = generateSyntheticProvince({
    cities: 1,
    countiesPerCity: 2,
    departmentsPerCounty: 1,
    users: 20,
  });
  await writeFile(path.join(dir, 'org.yaml'), stringify(spec));
}, 240_000);
afterAll(async () => {
  await hs?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `killWhen` SIGKILLs it as soon as its stderr matches. */
function cli(args: string[], killWhen?: RegExp): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    // One process (node with tsx as a loader), so SIGKILL stops the apply itself and not just a wrapper.
    const child = spawn(process.execPath, ['--import', 'tsx', 'admin/cli.ts', ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        HONGYAN_HOMESERVER: hs.baseUrl,
        HONGYAN_ADMIN_TOKEN: '',
        HONGYAN_AUDIT_DB: path.join(dir, 'audit.db'),
        HONGYAN_SNAPSHOT_CACHE: path.join(dir, 'org-snapshot.json'),
        INIT_CWD: dir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (killWhen?.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('npm run admin', () => {
  it('survives being killed mid-apply: the next apply finishes, the one after writes nothing', async () => {
    const common = ['--spec', 'org.yaml', '--token-file', 'token', '--passwords-out', 'pw.csv'];
    const killed = await cli(['apply', ...common], /^rooms: /m);
    expect(killed.signal).toBe('SIGKILL');

    const plan = await cli(['plan', '--spec', 'org.yaml', '--token-file', 'token', '--summary']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/^Plan: .*rooms and spaces to create/m);

    const finished = await cli(['apply', ...common]);
    expect(finished.stderr).not.toMatch(/^error/m);
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(/^Applied: /m);

    const again = await cli(['apply', ...common]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes: the server already matched the spec.');
    expect(again.stdout).toMatch(/^0 HTTP writes in /m);
    // The finishing apply dropped the rooms it wrote from the snapshot cache; this one read them
    // again and kept them, so a third run reads none.
    const third = await cli(['plan', '--spec', 'org.yaml', '--token-file', 'token', '--summary']);
    expect(third.stderr).toMatch(
      /^snapshot: 0 room\(s\) read from the server, [1-9]\d* unchanged/m,
    );
    expect((await stat(path.join(dir, 'org-snapshot.json'))).mode & 0o777).toBe(0o600);

    // Every account's password reached the owner-only file before the account existed.
    const lines = (await readFile(path.join(dir, 'pw.csv'), 'utf8')).trim().split('\n').slice(1);
    expect(new Set(lines.map((l) => l.split(',')[0])).size).toBe(20);
    expect((await stat(path.join(dir, 'pw.csv'))).mode & 0o777).toBe(0o600);
    expect(`${finished.stdout}${finished.stderr}${again.stdout}`).not.toContain(
      hs.admin.accessToken,
    );
  }, 600_000);

  it('exports a spec that plans to nothing', async () => {
    const exported = await cli(['export', '--out', 'exported.yaml', '--token-file', 'token']);
    expect(exported.code).toBe(0);
    const plan = await cli(['plan', '--spec', 'exported.yaml', '--token-file', 'token']);
    expect(plan.stdout.trim()).toBe('No changes: the server matches the spec.');
  });

  it('refuses a token file others can read and a spec with errors, naming the problem', async () => {
    await writeFile(path.join(dir, 'open-token'), hs.admin.accessToken, { mode: 0o644 });
    const open = await cli(['plan', '--spec', 'org.yaml', '--token-file', 'open-token']);
    expect(open.code).toBe(1);
    expect(open.stderr).toContain('is readable by group or others');
    expect(open.stderr).not.toContain(hs.admin.accessToken);

    await writeFile(
      path.join(dir, 'bad.yaml'),
      'version: 1\nunits:\n  - { code: "1", name: 市, level: city, parent: "0" }\n',
    );
    const bad = await cli(['validate', '--spec', 'bad.yaml']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('bad.yaml:3:48 units[0].parent: unknown parent unit "0"');
  });

  it('records the commands in the audit log, exports it, and names a truncation against the anchors', async () => {
    const auth = ['--token-file', 'token'];
    const ok = await cli(['audit', 'verify', ...auth]);
    expect(ok.stderr).not.toMatch(/^error/m);
    expect(ok.stdout).toMatch(/^audit: OK, \d+ entries, [1-9]\d* anchors checked$/m);

    const csv = await cli(['audit', 'export', '--from', '2000-01-01', '--out', 'audit.csv']);
    expect(csv.code).toBe(0);
    const rows = (await readFile(path.join(dir, 'audit.csv'), 'utf8')).trim().split('\r\n');
    expect(rows[0]).toBe('seq,time,actor,action,target,result,detail,prev_hash,hash');
    const actions = rows.slice(1).map((r) => r.split(',')[3]);
    expect(actions).toEqual(expect.arrayContaining(['org.plan', 'org.apply', 'org.export']));
    expect(rows.every((r) => r.includes(hs.admin.accessToken))).toBe(false);

    // An attacker with the file drops the triggers and cuts the newest entries.
    const db = new DatabaseSync(path.join(dir, 'audit.db'));
    db.exec('DROP TRIGGER audit_entries_prune_only');
    const { n } = db.prepare('SELECT MAX(seq) AS n FROM audit_entries').get() as { n: number };
    db.exec(`DELETE FROM audit_entries WHERE seq >= ${n - 1}`);
    db.close();
    const broken = await cli(['audit', 'verify', ...auth]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(
      new RegExp(
        `^audit: BROKEN at entry ${n - 1}: the log was truncated: it ends at entry ${n - 2}, but entry (${n - 1}|${n}) was anchored at `,
        'm',
      ),
    );
  });
});
