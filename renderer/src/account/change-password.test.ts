import { describe, expect, it } from 'vitest';
import { MatrixError } from 'matrix-js-sdk';
import { checkPasswordInput, passwordChangeProblem } from './change-password';
import {
  changedPasswordContent,
  initialPasswordContent,
  isInitialPassword,
} from '../../../shared/account/initial-password';

describe('checkPasswordInput', () => {
  it('asks for every field, the same new password twice, and a new one', () => {
    expect(checkPasswordInput({ current: '', next: 'A-b-1234567', confirm: 'A-b-1234567' })).toBe(
      'missing',
    );
    expect(checkPasswordInput({ current: 'x', next: 'A-b-1234567', confirm: 'A-b-1234568' })).toBe(
      'mismatch',
    );
    expect(
      checkPasswordInput({ current: 'same-Pass-1', next: 'same-Pass-1', confirm: 'same-Pass-1' }),
    ).toBe('same');
    expect(
      checkPasswordInput({ current: 'old', next: 'A-b-1234567', confirm: 'A-b-1234567' }),
    ).toBeNull();
  });
});

describe('passwordChangeProblem', () => {
  const err = (errcode: string, status: number) =>
    new MatrixError({ errcode, error: 'raw server text' }, status);

  it('reads the policy refusals of the server as a weak password', () => {
    for (const code of [
      'M_PASSWORD_TOO_SHORT',
      'M_PASSWORD_NO_DIGIT',
      'M_PASSWORD_NO_UPPERCASE',
      'M_PASSWORD_NO_LOWERCASE',
      'M_PASSWORD_NO_SYMBOL',
      'M_WEAK_PASSWORD',
    ])
      expect(passwordChangeProblem(err(code, 400)), code).toBe('tooWeak');
  });

  it('reads a refused auth step as a wrong current password, and tells throttling apart', () => {
    expect(passwordChangeProblem(err('M_FORBIDDEN', 401))).toBe('wrongCurrent');
    expect(passwordChangeProblem(err('M_LIMIT_EXCEEDED', 429))).toBe('rateLimited');
    expect(passwordChangeProblem(err('M_UNKNOWN', 500))).toBe('failed');
    expect(passwordChangeProblem(new TypeError('Failed to fetch'))).toBe('failed');
  });
});

describe('initial password marker', () => {
  it('counts only an explicit initial marker', () => {
    expect(isInitialPassword(initialPasswordContent(1))).toBe(true);
    expect(isInitialPassword(changedPasswordContent(2))).toBe(false);
    for (const content of [null, undefined, {}, { initial: 'true' }, 'initial', []])
      expect(isInitialPassword(content), JSON.stringify(content)).toBe(false);
  });
});
