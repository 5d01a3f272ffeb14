/** A sealed value as stored: AES-GCM ciphertext and its 96-bit nonce. */
export interface SealedValue {
  iv: Uint8Array<ArrayBuffer>;
  data: Uint8Array<ArrayBuffer>;
}

/** Encrypts values with one AES-GCM key; a fresh random nonce per value. */
export class AesGcmSealer {
  constructor(private readonly key: CryptoKey) {}

  /** Creates a sealer with a new non-extractable key (scripts can use it but never read it out). */
  static async generate(): Promise<AesGcmSealer> {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]);
    return new AesGcmSealer(key);
  }

  /**
   * Derives a sealer from secret key material (HKDF-SHA-256 with `purpose` as info), e.g. from the
   * crypto-store key, which the platform already keeps sealed: no second secret to store.
   */
  static async derive(material: Uint8Array<ArrayBuffer>, purpose: string): Promise<AesGcmSealer> {
    const base = await crypto.subtle.importKey('raw', material, 'HKDF', false, ['deriveKey']);
    const key = await crypto.subtle.deriveKey(
      {
        name: 'HKDF',
        hash: 'SHA-256',
        salt: new Uint8Array(32),
        info: new TextEncoder().encode(purpose),
      },
      base,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
    return new AesGcmSealer(key);
  }

  /** The wrapped key, for storing in IndexedDB (a CryptoKey is structured-cloneable). */
  get cryptoKey(): CryptoKey {
    return this.key;
  }

  async seal(plaintext: string, context: string): Promise<SealedValue> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    // The name is authenticated data: a sealed value moved under another name fails to open.
    const additionalData = new TextEncoder().encode(context);
    const data = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData },
      this.key,
      new TextEncoder().encode(plaintext),
    );
    return { iv, data: new Uint8Array(data) };
  }

  /** @throws Error when the value was altered or sealed under another key or name. */
  async open(sealed: SealedValue, context: string): Promise<string> {
    const additionalData = new TextEncoder().encode(context);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: sealed.iv, additionalData },
      this.key,
      sealed.data,
    );
    return new TextDecoder().decode(plain);
  }
}
