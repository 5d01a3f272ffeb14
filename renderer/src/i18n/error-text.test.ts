import { describe, expect, it } from 'vitest';
import { errorKind, explainError, explainFieldError } from './error-text';
import { createAppI18n } from '../app-i18n';

describe('error text', () => {
  it('classifies homeserver, network and raw SDK errors', () => {
    expect(errorKind({ errcode: 'M_FORBIDDEN', httpStatus: 403 })).toBe('forbidden');
    expect(errorKind(new Error('power level 0 < 50'))).toBe('forbidden');
    expect(errorKind(new Error('download of mxc://hs/abc failed: HTTP 404'))).toBe('notFound');
    expect(errorKind(new Error('malformed request: userId: must be a Matrix user id'))).toBe(
      'badRequest',
    );
    expect(errorKind(new TypeError('Failed to fetch'))).toBe('network');
    expect(errorKind({ httpStatus: 502, message: 'Bad Gateway' })).toBe('server');
    expect(errorKind({ errcode: 'M_LIMIT_EXCEEDED' })).toBe('rateLimited');
    expect(errorKind(new Error('something odd'))).toBe('unknown');
  });

  it('gives a Chinese sentence that says what to do, and keeps the original as detail', async () => {
    const i18n = await createAppI18n('zh-CN');
    const e = explainError(i18n.t, new Error('download of mxc://hs/abc failed: HTTP 404'));
    expect(e.text).toBe('找不到要访问的内容，它可能已被删除或已过期。请刷新后再试。');
    expect(e.detail).toBe('download of mxc://hs/abc failed: HTTP 404');
  });

  it('names the field of a validation error, whatever its path', async () => {
    const i18n = await createAppI18n('zh-CN');
    expect(
      explainFieldError(i18n.t, { path: '/targets', message: 'select at least one target unit' }),
    ).toEqual({
      text: '请至少选择一个发送单位。',
      detail: '/targets select at least one target unit',
    });
    expect(
      explainFieldError(i18n.t, {
        path: '/cn.hongyan.circular/id',
        message: 'must be a UUID or ULID',
      }).text,
    ).toBe('通知编号无效，请重新打开发文页面后再试。');
    expect(explainFieldError(i18n.t, { path: '/x', message: 'odd' }).text).toBe(
      '通知内容有误，请检查后再试。',
    );
  });
});
