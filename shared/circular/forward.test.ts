import { describe, expect, it } from 'vitest';
import { CIRCULAR_MSGTYPE } from '../matrix-types';
import { parseCircular } from './circular-content';
import { buildCircularForward, FORWARDED_CIRCULAR_KEY } from './forward';
import { sampleCircular, sampleFile } from './test-fixtures';

const withFile = () =>
  sampleCircular({
    noForward: false,
    attachments: [
      { name: '防汛预案.pdf', mimetype: 'application/pdf', size: 2048, file: sampleFile() },
    ],
  });

describe('buildCircularForward', () => {
  it('refuses a no-forward circular', () => {
    expect(buildCircularForward(sampleCircular({ noForward: true }))).toEqual({
      ok: false,
      reason: 'no_forward',
    });
  });

  it('forwards the notice as an ordinary formatted message naming its origin', () => {
    const result = buildCircularForward(withFile());
    if (!result.ok) throw new Error('refused');
    const [text] = result.contents;
    expect(text).toMatchObject({ msgtype: 'm.text', format: 'org.matrix.custom.html' });
    expect(text?.body).toMatch(
      /^【转发通知】示范省人民政府办公厅\n\n【特急】关于做好防汛工作的通知/,
    );
    expect(text?.body).toContain('文号：示府办〔2025〕12号');
    // A forward cannot be acknowledged: no prompt to do so.
    expect(text?.body).not.toContain('签收。');
    expect(text?.[FORWARDED_CIRCULAR_KEY]).toEqual({
      id: withFile().id,
      title: '关于做好防汛工作的通知',
      docNumber: '示府办〔2025〕12号',
      issuingUnit: '示范省人民政府办公厅',
    });
  });

  it('is never a circular: it cannot be counted or acknowledged as a copy', () => {
    const result = buildCircularForward(withFile());
    if (!result.ok) throw new Error('refused');
    for (const content of result.contents) {
      expect(content.msgtype).not.toBe(CIRCULAR_MSGTYPE);
      expect(content[CIRCULAR_MSGTYPE]).toBeUndefined();
      expect(parseCircular(content).ok).toBe(false);
    }
  });

  it('carries each attachment as a file message with the original encrypted file', () => {
    const result = buildCircularForward(withFile());
    if (!result.ok) throw new Error('refused');
    expect(result.contents).toHaveLength(2);
    expect(result.contents[1]).toMatchObject({
      msgtype: 'm.file',
      body: '防汛预案.pdf',
      filename: '防汛预案.pdf',
      info: { mimetype: 'application/pdf', size: 2048 },
      file: sampleFile(),
    });
  });

  it('escapes the text in the HTML', () => {
    const result = buildCircularForward(
      sampleCircular({ noForward: false, title: '<img src=x onerror=alert(1)>' }),
    );
    if (!result.ok) throw new Error('refused');
    expect(String(result.contents[0]?.formatted_body)).not.toContain('<img');
  });
});
