import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureConsole } from './console-capture';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('captureConsole', () => {
  it('sends trace, warning and debug lines to the file instead of the terminal, and counts them', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hongyan-capture-'));
    const file = path.join(dir, 'sub', 'sdk.log');
    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write');
    const capture = captureConsole(file);
    console.trace('PollingCachedValue failed');
    console.warn('Adding default global override push rule');
    console.debug('sync', { rooms: 3 });
    expect(capture.lines()).toBeGreaterThanOrEqual(3);
    await capture.restore();
    expect(stdout).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
    stdout.mockRestore();
    stderr.mockRestore();
    const text = await readFile(file, 'utf8');
    expect(text).toContain('[trace] PollingCachedValue failed');
    expect(text).toContain('[warn] Adding default global override push rule');
    expect(text).toContain('[debug] sync { rooms: 3 }');
  });
});
