import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KitError } from './errors';
import { REQUIREMENTS_FILE, REQUIREMENTS_LOCK } from './paths';
import { checkVenvModule, findSystemPython, pinnedSynapseVersion, pipInstallArgs } from './venv';

describe('pinnedSynapseVersion', () => {
  it('reads the pinned version from the committed requirements', async () => {
    expect(pinnedSynapseVersion(await readFile(REQUIREMENTS_FILE, 'utf8'))).toBe('1.163.2');
  });

  it('requires an exact pin', () => {
    expect(pinnedSynapseVersion('# c\nmatrix-synapse == 1.2.3  # pinned\n')).toBe('1.2.3');
    expect(pinnedSynapseVersion('matrix-synapse[redis]==4.5.6\n')).toBe('4.5.6');
    expect(() => pinnedSynapseVersion('matrix-synapse>=1.0\n')).toThrow(KitError);
  });
});

describe('finding Python', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hongyan-python-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A stand-in interpreter: prints `version` for the version probe, fails any other import. */
  async function fakePython(name: string, version: string, importsWork: boolean): Promise<string> {
    const file = path.join(dir, name);
    const script = `#!/bin/sh\ncase "$2" in *version_info*) echo ${version}; exit 0;; esac\nexit ${importsWork ? 0 : 1}\n`;
    await writeFile(file, script, { mode: 0o755 });
    return file;
  }

  it('skips interpreters that are too old and picks the first recent one', async () => {
    const old = await fakePython('py38', '3.8', true);
    const recent = await fakePython('py312', '3.12', true);
    expect(await findSystemPython([path.join(dir, 'missing'), old, recent])).toEqual({
      python: recent,
      version: [3, 12],
    });
  });

  it('says which version it found and what to install when none is recent enough', async () => {
    const old = await fakePython('py39', '3.9', true);
    const err = await findSystemPython([old]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KitError);
    expect((err as KitError).message).toContain('Python 3.10 or newer');
    expect((err as KitError).message).toContain('3.9');
    expect((err as KitError).details.join('\n')).toContain('apt-get install python3 python3-venv');
  });

  it('names the package to install when the venv module is missing', async () => {
    const noVenv = await fakePython('py311', '3.11', false);
    const err = await checkVenvModule(noVenv, [3, 11]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KitError);
    expect((err as KitError).details.join('\n')).toContain('python3.11-venv');
  });
});

describe('the hash lock', () => {
  /** `name==version` → hashes, from the lock's `name==version \\ --hash=sha256:…` entries. */
  async function lockEntries(): Promise<Map<string, string[]>> {
    const text = (await readFile(REQUIREMENTS_LOCK, 'utf8')).replace(/\\\n\s*/g, ' ');
    const entries = new Map<string, string[]>();
    for (const line of text.split('\n')) {
      if (line.trim() === '' || line.startsWith('#')) continue;
      const [pin, ...rest] = line.trim().split(/\s+/);
      entries.set(pin ?? '', rest);
    }
    return entries;
  }

  it('pins every direct requirement at its version, each package with a sha256 hash', async () => {
    const entries = await lockEntries();
    const requirements = await readFile(REQUIREMENTS_FILE, 'utf8');
    const direct = [...requirements.matchAll(/^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(\S+)/gm)];
    expect(direct.length).toBeGreaterThan(0);
    for (const [, name, version] of direct)
      expect(entries.has(`${name!.toLowerCase()}==${version}`), `${name}==${version}`).toBe(true);
    // The extras' packages are locked too (redis, oidc).
    for (const name of ['txredisapi', 'hiredis', 'authlib'])
      expect(
        [...entries.keys()].some((k) => k.startsWith(`${name}==`)),
        name,
      ).toBe(true);
    for (const [pin, options] of entries) {
      expect(pin, pin).toMatch(/^[a-z0-9-]+==[^\s=]+$/);
      expect(options.length, pin).toBeGreaterThan(0);
      for (const o of options) expect(o, pin).toMatch(/^--hash=sha256:[0-9a-f]{64}$/);
    }
  });

  it('installs from the lock with --require-hashes, and from plain requirements without one', () => {
    expect(pipInstallArgs('req.txt', 'req.lock')).toEqual([
      '-m',
      'pip',
      'install',
      '--no-input',
      '--require-virtualenv',
      '--require-hashes',
      '-r',
      'req.lock',
    ]);
    expect(pipInstallArgs('req.txt', undefined).slice(-2)).toEqual(['-r', 'req.txt']);
  });
});
