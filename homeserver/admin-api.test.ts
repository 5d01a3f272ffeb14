import { describe, expect, it } from 'vitest';
import { randomPassword, registrationMac } from './admin-api';

describe('registrationMac', () => {
  it('matches the HMAC-SHA1 of the shared-secret registration docs', () => {
    // Reference values computed with Python's hmac module, as in Synapse's register_api docs.
    expect(
      registrationMac({
        secret: 'shared_secret',
        nonce: 'thisisanonce',
        username: 'pepper_roni',
        password: 'pizza',
        admin: true,
      }),
    ).toBe('48715842ad67d5dc9a9ee938a3bda4fcfae8d7c7');
    expect(
      registrationMac({
        secret: '秘密',
        nonce: 'n',
        username: '张三',
        password: '密码',
        admin: false,
      }),
    ).toBe('08147cb7b5703c443e44e3c925aaca3899f6ba40');
  });
});

describe('randomPassword', () => {
  it('is long and differs every time', () => {
    const a = randomPassword();
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(randomPassword()).not.toBe(a);
  });
});
