import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIT_DIR } from './paths';
import { generateSigningKey } from './secrets';
import { ensureVenv } from './venv';

const PRODUCTION = path.join(KIT_DIR, 'production');
const SECRETS = [
  'registration_shared_secret',
  'macaroon_secret_key',
  'form_secret',
  'worker_replication_secret',
  'redis_password',
  'pgpass',
];

let dir: string;
let python: string;

/** Copies the reference configs into a temp dir, pointing their absolute paths there. */
async function stageProductionConfig(): Promise<void> {
  const rewrite = (text: string): string =>
    text
      .replaceAll('/etc/matrix-synapse/', `${dir}/etc/`)
      .replaceAll('/var/lib/matrix-synapse/', `${dir}/var/`);
  await mkdir(path.join(dir, 'etc', 'workers'), { recursive: true });
  await mkdir(path.join(dir, 'etc', 'secrets'), { recursive: true });
  const files = [
    'homeserver.yaml',
    'log.yaml',
    ...(await readdir(path.join(PRODUCTION, 'workers'))).map((f) => `workers/${f}`),
  ];
  for (const file of files) {
    await writeFile(
      path.join(dir, 'etc', file),
      rewrite(await readFile(path.join(PRODUCTION, file), 'utf8')),
    );
  }
  for (const secret of SECRETS)
    await writeFile(path.join(dir, 'etc', 'secrets', secret), 'test-only\n', { mode: 0o600 });
  await writeFile(path.join(dir, 'etc', 'secrets', 'signing.key'), generateSigningKey(), {
    mode: 0o600,
  });
}

/** Loads config files with the pinned Synapse's own checker and reads one setting back. */
async function readSetting(key: string, ...configFiles: string[]): Promise<string> {
  const args = [
    '-m',
    'synapse.config',
    'read',
    key,
    ...configFiles.flatMap((f) => ['-c', path.join(dir, 'etc', f)]),
    '--no-secrets-in-config',
  ];
  const { stdout } = await promisify(execFile)(python, args, { cwd: dir });
  expect(stdout).toContain('Config parses OK!');
  return stdout.trim().split('\n').at(-1) ?? '';
}

beforeAll(async () => {
  python = (await ensureVenv()).python;
  dir = await mkdtemp(path.join(os.tmpdir(), 'hongyan-production-'));
  await stageProductionConfig();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the production reference configuration', () => {
  it('is accepted by the pinned Synapse, with secrets only in files', async () => {
    expect(await readSetting('server.server_name', 'homeserver.yaml')).toBe(
      'server.server_name: gd.gov.example',
    );
    expect(await readSetting('redis.redis_enabled', 'homeserver.yaml')).toBe(
      'redis.redis_enabled: True',
    );
  });

  it('configures each worker the shared config expects', async () => {
    expect(
      await readSetting('worker.worker_name', 'homeserver.yaml', 'workers/generic-worker1.yaml'),
    ).toBe('worker.worker_name: generic_worker1');
    expect(
      await readSetting(
        'worker.writers.events',
        'homeserver.yaml',
        'workers/event-persister1.yaml',
      ),
    ).toBe("worker.writers.events: ['event_persister1']");
    expect(
      await readSetting(
        'worker.send_federation',
        'homeserver.yaml',
        'workers/federation-sender1.yaml',
      ),
    ).toBe('worker.send_federation: True');
    // ...and the main process no longer sends federation itself.
    expect(await readSetting('worker.send_federation', 'homeserver.yaml')).toBe(
      'worker.send_federation: False',
    );
  });
});
