/** The renderer's one base64 codec (standard alphabet; decoding also takes the URL-safe one). */

/** Encodes standard base64; `padded: false` drops the `=` padding, as the Matrix spec uses. */
export function toBase64(bytes: Uint8Array, options: { padded?: boolean } = {}): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  const text = btoa(bin);
  return options.padded === false ? text.replace(/=+$/, '') : text;
}

/** Encodes unpadded standard base64, as the spec uses for `iv` and hashes. */
export function toUnpaddedBase64(bytes: Uint8Array): string {
  return toBase64(bytes, { padded: false });
}

/** Decodes standard or URL-safe base64 with or without padding. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const std = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = std + '='.repeat((4 - (std.length % 4)) % 4);
  const bin = atob(padded);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
