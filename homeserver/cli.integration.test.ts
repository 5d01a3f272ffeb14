import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIT_DIR, instancePaths } from './paths';
import { findFreePort, isPortFree, isProcessAlive } from './process-utils';

const REPO = path.dirname(KIT_DIR);
const TSX = path.join(REPO, 'node_modules', '.bin', 'tsx');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a person would (`npm run hs -- …`), with stdin not a terminal. */
function hs(...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [path.join(REPO, 'scripts', 'hs.ts'), ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const STACK_TRACE = /\n\s+at .+:\d+:\d+/;
const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hongyan-cli-'));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of dirs) {
    if (existsSync(instancePaths(dir).kitConfig)) await hs('stop', '--data-dir', dir);
    await rm(dir, { recursive: true, force: true });
  }
});

describe('npm run hs', () => {
  let dataDir: string;
  let port: number;
  beforeAll(async () => {
    dataDir = await freshDir();
    port = await findFreePort();
  });

  it('starts Synapse, reports it, and stops it leaving no process and a free port', async () => {
    const started = await hs('start', '--data-dir', dataDir, '--port', String(port));
    expect(started.stderr).not.toMatch(STACK_TRACE);
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(`http://127.0.0.1:${port}`);
    expect((await fetch(`http://127.0.0.1:${port}/_matrix/client/versions`)).ok).toBe(true);

    const paths = instancePaths(dataDir);
    expect((await stat(paths.adminCredentials)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.registrationSharedSecret)).mode & 0o777).toBe(0o600);
    const status = await hs('status', '--data-dir', dataDir);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/running \(pid \d+\), answering/);

    // A second start with the same settings is harmless and says so; another port is refused.
    const again = await hs('start', '--data-dir', dataDir, '--port', String(port));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already running');
    const moved = await hs('start', '--data-dir', dataDir, '--port', String(port + 1));
    expect(moved.code).toBe(1);
    expect(moved.stderr).toContain('stop it before changing port');

    const pid = Number((await readFile(paths.pidFile, 'utf8')).trim());
    const stopped = await hs('stop', '--data-dir', dataDir);
    expect(stopped.code).toBe(0);
    expect(isProcessAlive(pid)).toBe(false);
    expect(await isPortFree('127.0.0.1', port)).toBe(true);
    const after = await hs('status', '--data-dir', dataDir);
    expect(after.code).toBe(3);
    expect(after.stdout).toContain('stopped');
  });

  it('refuses a taken port before spawning Synapse, naming the port', async () => {
    const blocker = net.createServer();
    const taken = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)),
    );
    try {
      const dir = await freshDir();
      const result = await hs('start', '--data-dir', dir, '--port', String(taken));
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`Port ${taken}`);
      expect(result.stderr).not.toMatch(STACK_TRACE);
      expect(existsSync(instancePaths(dir).pidFile)).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('names the file, line and key of a broken kit.yaml', async () => {
    const dir = await freshDir();
    await writeFile(instancePaths(dir).kitConfig, 'serverName: hongyan.local\nport: eighty\n');
    const result = await hs('start', '--data-dir', dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${instancePaths(dir).kitConfig}:2: port: "eighty" is not a port number`,
    );
    expect(result.stderr).not.toMatch(STACK_TRACE);

    await writeFile(instancePaths(dir).kitConfig, 'port: [8008\n');
    const unparseable = await hs('status', '--data-dir', dir);
    expect(unparseable.code).toBe(1);
    expect(unparseable.stderr).toMatch(/kit\.yaml:\d+:\d+: not valid YAML/);
  });

  it("shows Synapse's own complaint when it refuses its config, and leaves no process", async () => {
    const dir = await freshDir();
    const paths = instancePaths(dir);
    await mkdir(paths.confDir, { recursive: true });
    await writeFile(path.join(paths.confDir, '50-local.yaml'), 'default_room_version: "99"\n');
    const result = await hs('start', '--data-dir', dir, '--port', String(await findFreePort()));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Synapse exited during start-up');
    expect(result.stderr).toContain('Unknown default_room_version: 99');
    expect(result.stderr).toContain('overrides the hardened setting default_room_version');
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(existsSync(paths.pidFile)).toBe(false);
  });

  it('refuses to reset without --yes when stdin is not a terminal, and resets with it', async () => {
    const refused = await hs('reset', '--data-dir', dataDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--yes');
    expect(existsSync(instancePaths(dataDir).kitConfig)).toBe(true);

    const done = await hs('reset', '--data-dir', dataDir, '--yes');
    expect(done.code).toBe(0);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('prints the usage for an unknown command or option', async () => {
    const unknown = await hs('launch');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "launch"');
    expect(unknown.stderr).toContain('Usage: npm run hs --');
    const badOption = await hs('start', '--colour', 'red');
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("Unknown option '--colour'");
  });
});
