import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateInitialPassword, sealPassword } from '../../renderer/src/org-admin/seal-password';
import { AgentKeySource, loadAgentKey, rotateAgentKey } from './agent-key';

const dir = await mkdtemp(join(tmpdir(), 'hongyan-agent-key-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('agent key', () => {
  it('opens what the app sealed to it, and nothing sealed to another key', async () => {
    const key = await loadAgentKey();
    const password = generateInitialPassword();
    expect(password).toMatch(/^[a-zA-Z2-9]{16}$/);
    const sealed = await sealPassword(password, key.content);
    expect(sealed.ciphertext).not.toContain(password);
    expect(key.open(sealed)).toBe(password);

    const other = await loadAgentKey();
    expect(() => other.open(sealed)).toThrow(/sealed to agent key .* reopen the form/);
    expect(() => key.open({ ...sealed, ciphertext: 'AAAA' })).toThrow(/cannot be opened/);
  });

  it('keeps its key in an owner-only file across restarts', async () => {
    const file = join(dir, 'agent.pem');
    const first = await loadAgentKey(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const second = await loadAgentKey(file);
    expect(second.content).toEqual(first.content);
    const sealed = await sealPassword('s3cret-pass', first.content);
    expect(second.open(sealed)).toBe('s3cret-pass');
  });
});

describe('agent key rotation', () => {
  it('replaces the key in its owner-only file; the old key no longer opens anything new', async () => {
    const file = join(dir, 'rotated.pem');
    const source = await AgentKeySource.open(file);
    const before = await source.current();
    const sealedBefore = await sealPassword('Before-Rotation-1', before.content);

    const { previousKeyId, keyId } = await rotateAgentKey(file);
    expect(previousKeyId).toBe(before.content.keyId);
    expect(keyId).not.toBe(before.content.keyId);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    // The running agent's source follows the file: the new key is in force at once.
    const after = await source.current();
    expect(after.content.keyId).toBe(keyId);
    expect(() => after.open(sealedBefore)).toThrow(/sealed to agent key .* reopen the form/);
    const sealedAfter = await sealPassword('After-Rotation-1', after.content);
    expect(after.open(sealedAfter)).toBe('After-Rotation-1');
    // Unchanged file: the same key object.
    expect(await source.current()).toBe(after);
  });

  it('creates the key when there was none', async () => {
    const file = join(dir, 'fresh.pem');
    const { previousKeyId, keyId } = await rotateAgentKey(file);
    expect(previousKeyId).toBeNull();
    expect((await loadAgentKey(file)).content.keyId).toBe(keyId);
  });
});
