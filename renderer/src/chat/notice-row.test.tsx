// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { createAppI18n } from '../app-i18n';
import type { NoticeText } from '../store/timeline-items';
import { NoticeRunRow } from './notice-row';
import type { NoticeItem } from './timeline-rows';

afterEach(cleanup);

const run = (texts: NoticeText[]): NoticeItem[] =>
  texts.map((text, i) => ({ kind: 'notice', id: `$${i}`, ts: i, text }));

// How a provisioned residents' room opens: the provisioning account sets it up, people join.
const opening = run([
  { key: 'created', actor: '@hy-provisioner:s', system: true },
  { key: 'encryptionOn', actor: '@hy-provisioner:s', system: true },
  { key: 'invited', actor: '@hy-provisioner:s', target: '陶主任', system: true },
  { key: 'renamed', actor: '@hy-provisioner:s', target: '桃花村 群众群', system: true },
  { key: 'joined', actor: '陶主任' },
  { key: 'invited', actor: '@hy-provisioner:s', target: '赵振华', system: true },
  { key: 'joined', actor: '赵振华' },
  { key: 'joined', actor: '孙大妈' },
]);

async function renderRun(items: NoticeItem[], language: 'zh-CN' | 'en' = 'zh-CN') {
  render(
    <I18nextProvider i18n={await createAppI18n(language)}>
      <NoticeRunRow items={items} />
    </I18nextProvider>,
  );
}

describe('NoticeRunRow', () => {
  it('names the first people involved and counts the changes, then opens to each one', async () => {
    await renderRun(opening);
    const row = screen.getByTestId('notice-run');
    expect(row.textContent).toContain('系统、陶主任、赵振华 等 4 人：8 项成员与会话变更');
    expect(row.textContent).not.toContain('桃花村 群众群');
    fireEvent.click(screen.getByTestId('notice-run-toggle'));
    expect(row.textContent).toContain('系统 将会话名称改为“桃花村 群众群”');
    expect(row.textContent).toContain('孙大妈 加入了会话');
    expect(screen.getByTestId('notice-run-toggle').textContent).toBe('收起');
  });

  it('speaks English too', async () => {
    await renderRun(opening.slice(0, 3), 'en');
    expect(screen.getByTestId('notice-run').textContent).toContain(
      'System, 陶主任: 3 membership and chat changes',
    );
  });
});
