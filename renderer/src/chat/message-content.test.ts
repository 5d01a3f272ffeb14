import { describe, expect, it } from 'vitest';
import { buildEditContent, buildTextContent, markdownToHtml } from './message-content';

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
