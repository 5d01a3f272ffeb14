import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { KitError } from './errors';
import { REQUIREMENTS_FILE, REQUIREMENTS_LOCK, VENV_DIR } from './paths';
import { isProcessAlive } from './process-utils';

const execFileAsync = promisify(execFile);

/** Oldest Python that Synapse 1.163 supports. */
export const MIN_PYTHON: readonly [number, number] = [3, 10];

const STAMP_NAME = 'hongyan-stamp.json';
const LOCK_WAIT_MS = 20 * 60_000;

/** Options of {@link ensureVenv}. */
export interface EnsureVenvOptions {
  /** Progress messages (installing, done). Defaults to stderr. */
  log?: (message: string) => void;
  /** Virtual environment location; the kit's `homeserver/.venv` by default. */
  venvDir?: string;
  /** Pinned requirements; the kit's `homeserver/requirements.txt` by default. */
  requirementsFile?: string;
  /**
   * The hash lock installed in place of `requirementsFile` (`--require-hashes`); the kit's
   * `homeserver/requirements.lock` with the kit's requirements, none with other ones.
   */
  lockFile?: string;
}

/**
 * pip's arguments for installing: from the hash lock when there is one, so that every package,
 * dependencies included, must match the hash it was locked with.
 */
export function pipInstallArgs(requirementsFile: string, lockFile: string | undefined): string[] {
  const base = ['-m', 'pip', 'install', '--no-input', '--require-virtualenv'];
  return lockFile === undefined
    ? [...base, '-r', requirementsFile]
    : [...base, '--require-hashes', '-r', lockFile];
}

/** A ready virtual environment. */
export interface Venv {
  /** The venv's Python interpreter, which runs Synapse. */
  python: string;
  /** The Synapse version installed there. */
  synapseVersion: string;
}

/** Reads the pinned `matrix-synapse==X` version out of the requirements file's text. */
export function pinnedSynapseVersion(requirements: string): string {
  const m = /^\s*matrix-synapse(?:\[[^\]]*\])?\s*==\s*([^\s#;]+)/m.exec(requirements);
  if (!m?.[1])
    throw new KitError('homeserver/requirements.txt: no pinned "matrix-synapse==<version>" line');
  return m[1];
}

function venvPython(venvDir: string): string {
  return path.join(venvDir, 'bin', 'python');
}

async function pythonVersion(python: string): Promise<[number, number] | undefined> {
  try {
    const { stdout } = await execFileAsync(python, [
      '-c',
      'import sys; print("%d.%d" % sys.version_info[:2])',
    ]);
    const [major, minor] = stdout.trim().split('.').map(Number);
    return major === undefined || minor === undefined ? undefined : [major, minor];
  } catch {
    return undefined;
  }
}

function atLeast(v: readonly [number, number], min: readonly [number, number]): boolean {
  return v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);
}

/** Where to look for Python: `HONGYAN_PYTHON` first, then `python3` and versioned names on PATH. */
export function pythonCandidates(): string[] {
  return [
    process.env.HONGYAN_PYTHON,
    'python3',
    'python3.13',
    'python3.12',
    'python3.11',
    'python3.10',
  ].filter((c): c is string => !!c);
}

/** Finds the first Python ≥ 3.10 among `candidates`, or fails saying what to install. */
export async function findSystemPython(
  candidates: readonly string[] = pythonCandidates(),
): Promise<{ python: string; version: [number, number] }> {
  let tooOld: string | undefined;
  for (const candidate of candidates) {
    const version = await pythonVersion(candidate);
    if (!version) continue;
    if (atLeast(version, MIN_PYTHON)) return { python: candidate, version };
    tooOld ??= `${candidate} is ${version.join('.')}`;
  }
  throw new KitError(
    `Python ${MIN_PYTHON.join('.')} or newer is needed to run Synapse${tooOld ? ` (${tooOld})` : ', but none was found'}.`,
    {
      code: 'python-missing',
      details: [
        'Install it, e.g. on Debian/Ubuntu: apt-get install python3 python3-venv',
        'or point HONGYAN_PYTHON at a suitable interpreter.',
      ],
    },
  );
}

/** Fails, naming the package to install, when `python` cannot create a venv with pip. */
export async function checkVenvModule(python: string, version: [number, number]): Promise<void> {
  try {
    // Debian splits ensurepip out of the interpreter; without it `python -m venv` cannot bootstrap pip.
    await execFileAsync(python, ['-c', 'import venv, ensurepip']);
  } catch {
    throw new KitError(
      `The Python "venv" module is missing for ${python} (${version.join('.')}).`,
      {
        code: 'python-missing',
        details: [
          `Install it, e.g. on Debian/Ubuntu: apt-get install python3-venv (or python${version.join('.')}-venv)`,
        ],
      },
    );
  }
}

interface Stamp {
  requirementsSha256: string;
  synapseVersion: string;
}

async function readStamp(venvDir: string): Promise<Stamp | undefined> {
  try {
    return JSON.parse(await readFile(path.join(venvDir, STAMP_NAME), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

/**
 * Serialises installs across processes (several test runs may start at once). The lock is a
 * directory, created atomically, holding the owner's pid so a crashed owner's lock is taken over.
 */
async function withInstallLock<T>(venvDir: string, fn: () => Promise<T>): Promise<T> {
  const key = createHash('sha1').update(path.resolve(venvDir)).digest('hex').slice(0, 12);
  const lockDir = path.join(os.tmpdir(), `hongyan-venv-${key}.lock`);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(await readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => ''));
      if (owner && !isProcessAlive(owner)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new KitError(
          `Timed out waiting for another Synapse install to finish (lock ${lockDir})`,
          { code: 'install-failed' },
        );
      await delay(500);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function runLogged(cmd: string, args: string[], logFile: string): Promise<number> {
  const fd = openSync(logFile, 'a');
  try {
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(cmd, args, {
        stdio: ['ignore', fd, fd],
        env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' },
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  } finally {
    closeSync(fd);
  }
}

async function tail(file: string, lines: number): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines);
}

async function install(
  venvDir: string,
  requirementsFile: string,
  lockFile: string | undefined,
  sha: string,
  version: string,
  log: (m: string) => void,
): Promise<Venv> {
  const python = venvPython(venvDir);
  if (!(await pythonVersion(python))) {
    const system = await findSystemPython();
    await checkVenvModule(system.python, system.version);
    log(`Creating the Python virtual environment ${venvDir} (Python ${system.version.join('.')})…`);
    try {
      await execFileAsync(system.python, ['-m', 'venv', '--clear', venvDir]);
    } catch (err) {
      throw new KitError(`Could not create the virtual environment ${venvDir}`, {
        code: 'install-failed',
        details: [String((err as Error).message).split('\n')[0] ?? ''],
      });
    }
  }
  const logFile = path.join(venvDir, 'install.log');
  log(
    `Installing Synapse ${version} and its PostgreSQL driver into ${venvDir} (first use; this takes a few minutes, log: ${logFile})…`,
  );
  const code = await runLogged(python, pipInstallArgs(requirementsFile, lockFile), logFile);
  if (code !== 0) {
    throw new KitError(
      `pip could not install ${path.basename(requirementsFile)} (exit code ${code}); last lines of ${logFile}:`,
      {
        code: 'install-failed',
        details: await tail(logFile, 12),
      },
    );
  }
  const installed = await synapseVersionIn(python);
  if (installed !== version) {
    throw new KitError(
      `The venv has Synapse ${installed ?? '(none)'} after install, expected ${version}`,
      { code: 'install-failed' },
    );
  }
  await writeFile(
    path.join(venvDir, STAMP_NAME),
    JSON.stringify({ requirementsSha256: sha, synapseVersion: version } satisfies Stamp),
  );
  log(`Synapse ${version} is installed.`);
  return { python, synapseVersion: version };
}

async function synapseVersionIn(python: string): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync(python, [
      '-c',
      'import importlib.metadata as m, psycopg2, synapse; print(m.version("matrix-synapse"))',
    ]);
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/**
 * Makes sure the project-local venv holds the pinned Synapse, installing it on first use.
 * Idempotent and cheap when the stamp file says the pinned requirements are already installed.
 */
export async function ensureVenv(opts: EnsureVenvOptions = {}): Promise<Venv> {
  const venvDir = opts.venvDir ?? VENV_DIR;
  const requirementsFile = opts.requirementsFile ?? REQUIREMENTS_FILE;
  // The stamp follows requirements.txt alone: the lock is regenerated with it, never on its own.
  const lockFile =
    opts.lockFile ?? (requirementsFile === REQUIREMENTS_FILE ? REQUIREMENTS_LOCK : undefined);
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const requirements = await readFile(requirementsFile, 'utf8');
  const sha = createHash('sha256').update(requirements).digest('hex');
  const version = pinnedSynapseVersion(requirements);
  const upToDate = async (): Promise<boolean> =>
    (await readStamp(venvDir))?.requirementsSha256 === sha && existsSync(venvPython(venvDir));

  if (await upToDate()) return { python: venvPython(venvDir), synapseVersion: version };
  return withInstallLock(venvDir, async () => {
    if (await upToDate()) return { python: venvPython(venvDir), synapseVersion: version };
    return install(venvDir, requirementsFile, lockFile, sha, version, log);
  });
}
