import { describe, expect, it } from 'vitest';
import { seal, unseal } from './custodian-seal';

const PASSPHRASE = 'correct horse battery staple';

describe('custodian key store sealing', () => {
  it('round-trips, and the sealed bytes do not contain the plaintext', async () => {
    const keys = JSON.stringify([{ session_key: 'AQAAAABsecretsessionkey', room_id: '!r:x' }]);
    const sealed = await seal(keys, PASSPHRASE);
    expect(new TextDecoder().decode(sealed)).not.toContain('secretsessionkey');
    expect(await unseal(sealed, PASSPHRASE)).toBe(keys);
  });

  it('refuses a wrong passphrase, altered bytes and another format with a clear error', async () => {
    const sealed = await seal('[]', PASSPHRASE);
    await expect(unseal(sealed, 'another passphrase!')).rejects.toThrow(/does not open/);
    const altered = sealed.slice();
    altered[altered.length - 1] = altered[altered.length - 1]! ^ 1;
    await expect(unseal(altered, PASSPHRASE)).rejects.toThrow(/does not open/);
    await expect(unseal(new TextEncoder().encode('[]'), PASSPHRASE)).rejects.toThrow(/HYKS1/);
  });

  it('will not seal under a short passphrase', async () => {
    await expect(seal('[]', 'short')).rejects.toThrow(/12\+ characters/);
  });
});
