import { describe, expect, it } from 'vitest';
import { buildEditContent, buildTextContent, markdownToHtml } from './message-content';
import { markdownToPlainText } from '../../../shared/text/plain-text';

describe('message content', () => {
  it('sends plain text without HTML', () => {
    expect(buildTextContent({ text: '你好' })).toEqual({
      msgtype: 'm.text',
      body: '你好',
      'm.mentions': { user_ids: [] },
    });
  });
  it('renders Markdown to formatted_body', () => {
    const c = buildTextContent({ text: '**加急** 通知' });
    expect(c['formatted_body']).toBe('<strong>加急</strong> 通知');
    expect(markdownToHtml('- a\n- b')).toContain('<li>a</li>');
  });
  it('links and records intentional mentions', () => {
    const c = buildTextContent({
      text: '王芳 请看',
      mentions: [
        { userId: '@wf:hongyan.test', name: '王芳' },
        { userId: '@x:y', name: '不在文中' },
      ],
    });
    expect(c['m.mentions']).toEqual({ user_ids: ['@wf:hongyan.test'] });
    expect(c['formatted_body']).toBe(
      '<a href="https://matrix.to/#/%40wf%3Ahongyan.test">王芳</a> 请看',
    );
  });
  it('builds replies and edits', () => {
    expect(buildTextContent({ text: 'ok', replyTo: { eventId: '$a' } })['m.relates_to']).toEqual({
      'm.in_reply_to': { event_id: '$a' },
    });
    const edit = buildEditContent('$a', { text: '新' });
    expect(edit).toMatchObject({
      body: '* 新',
      'm.new_content': { body: '新' },
      'm.relates_to': { rel_type: 'm.replace', event_id: '$a' },
    });
  });
});

describe('markdownToPlainText (room-list preview)', () => {
  it('drops Markdown formatting and keeps the words', () => {
    expect(markdownToPlainText('**重要**：请于 _今天_ 下班前报送 `表格`')).toBe(
      '重要：请于 今天 下班前报送 表格',
    );
    expect(
      markdownToPlainText('# 会议通知\n\n- 时间：周五\n- 地点：[三楼会议室](https://example.cn)'),
    ).toBe('会议通知 时间：周五 地点：三楼会议室');
    expect(markdownToPlainText('> 引用的话\n\n回复')).toBe('引用的话 回复');
  });

  it('keeps plain text, signs and angle brackets as they were typed', () => {
    expect(markdownToPlainText('收到，谢谢')).toBe('收到，谢谢');
    expect(markdownToPlainText('a < b && c > d')).toBe('a < b && c > d');
    expect(markdownToPlainText('<b>not html</b> 1 - 2')).toBe('not html 1 - 2');
  });
});
