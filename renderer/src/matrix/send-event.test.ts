import { describe, expect, it } from 'vitest';
import { classifySendError, describeSendError } from './send-event';

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

describe('describeSendError', () => {
  it.each([
    [{ httpStatus: 403, errcode: 'M_FORBIDDEN', message: 'You are not allowed' }, 'M_FORBIDDEN'],
    [{ httpStatus: 502 }, 'HTTP 502'],
    [{ name: 'ConnectionError', message: 'fetch failed: secret detail' }, 'ConnectionError'],
    [new Error('keys query failed'), 'keys query failed'],
  ])('describes %j as %s', (err, text) => {
    expect(describeSendError(err)).toBe(text);
  });
});
