import { describe, expect, it } from 'vitest';
import { checkRegisterInput, meetsPasswordPolicy, registerProblem } from './join-flow';

const good = {
  displayName: '孙大妈',
  username: 'sun.dama',
  password: 'Spring-Field-7',
  confirm: '',
};
good.confirm = good.password;

describe('join form checks', () => {
  it('applies the server password policy: 10 characters, upper, lower, digit', () => {
    expect(meetsPasswordPolicy('Spring-Field-7')).toBe(true);
    expect(meetsPasswordPolicy('Short-1a')).toBe(false);
    expect(meetsPasswordPolicy('no-upper-case-1')).toBe(false);
    expect(meetsPasswordPolicy('NO-LOWER-CASE-1')).toBe(false);
    expect(meetsPasswordPolicy('No-Digits-Here')).toBe(false);
  });

  it('names the first thing wrong with the form', () => {
    expect(checkRegisterInput(good)).toBeNull();
    expect(checkRegisterInput({ ...good, displayName: '  ' })).toBe('missing');
    expect(checkRegisterInput({ ...good, username: 'Sun Dama' })).toBe('usernameInvalid');
    expect(checkRegisterInput({ ...good, confirm: 'Spring-Field-8' })).toBe('mismatch');
    expect(checkRegisterInput({ ...good, password: 'weakweak', confirm: 'weakweak' })).toBe(
      'tooWeak',
    );
  });

  it('classifies the server refusals of /register', () => {
    expect(registerProblem(400, 'M_USER_IN_USE', false)).toBe('usernameTaken');
    expect(registerProblem(400, 'M_INVALID_USERNAME', false)).toBe('usernameInvalid');
    expect(registerProblem(400, 'M_PASSWORD_TOO_SHORT', false)).toBe('tooWeak');
    expect(registerProblem(429, 'M_LIMIT_EXCEEDED', false)).toBe('rateLimited');
    expect(registerProblem(401, 'M_UNAUTHORIZED', true)).toBe('tokenRefused');
    expect(registerProblem(401, 'M_UNAUTHORIZED', false)).toBe('failed');
    expect(registerProblem(0, '', false)).toBe('failed');
  });
});
