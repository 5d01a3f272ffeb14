import { describe, expect, it } from 'vitest';
import { classifySendError } from './outbox';

describe('classifySendError', () => {
  it.each([
    [{ name: 'ConnectionError', message: 'fetch failed' }, 'transient'],
    [new Error('keys query failed'), 'transient'],
    [{ httpStatus: 502 }, 'transient'],
    [{ httpStatus: 429, errcode: 'M_LIMIT_EXCEEDED' }, 'transient'],
    [{ httpStatus: 403, errcode: 'M_FORBIDDEN' }, 'permanent'],
    [{ httpStatus: 413, errcode: 'M_TOO_LARGE' }, 'permanent'],
    [{ httpStatus: 400, errcode: 'M_UNKNOWN' }, 'permanent'],
  ])('classifies %j as %s', (err, kind) => {
    expect(classifySendError(err)).toBe(kind);
  });
});
