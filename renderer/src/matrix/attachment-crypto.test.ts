import { describe, expect, it } from 'vitest';
import { fromBase64, toUnpaddedBase64 } from '../platform/base64';
import { decryptAttachment, encryptAttachment } from './attachment-crypto';

describe('attachment encryption', () => {
  it('round-trips bytes and never uploads the plaintext', async () => {
    const plain = new TextEncoder().encode('机密附件 '.repeat(500));
    const { data, info } = await encryptAttachment(plain);
    expect(Buffer.from(data).includes(Buffer.from(plain.subarray(0, 32)))).toBe(false);
    expect(info.iv).not.toMatch(/=/);
    expect(fromBase64(info.iv).subarray(8)).toEqual(new Uint8Array(8));
    expect(await decryptAttachment(data, info)).toEqual(plain);
  });

  it('refuses an altered ciphertext', async () => {
    const { data, info } = await encryptAttachment(new Uint8Array([1, 2, 3, 4]));
    data[0] = (data[0] ?? 0) ^ 1;
    await expect(decryptAttachment(data, info)).rejects.toThrow(/hash mismatch/);
  });

  it('refuses unknown versions', async () => {
    const { data, info } = await encryptAttachment(new Uint8Array([1]));
    await expect(decryptAttachment(data, { ...info, v: 'v1' as 'v2' })).rejects.toThrow(
      /unsupported/,
    );
  });

  it('encodes base64 without padding and decodes URL-safe input', () => {
    expect(toUnpaddedBase64(new Uint8Array([255, 255]))).toBe('//8');
    expect(fromBase64('__8')).toEqual(new Uint8Array([255, 255]));
  });
});
