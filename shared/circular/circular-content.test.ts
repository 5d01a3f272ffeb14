import { describe, expect, it } from 'vitest';
import { CIRCULAR_MSGTYPE } from '../matrix-types';
import {
  ContentInputError,
  MAX_CIRCULAR_CONTENT_BYTES,
  buildCircularContent,
  parseCircular,
} from './circular-content';
import { DEADLINE, sampleCircular } from './test-fixtures';
import type { Circular } from './types';

const NS = CIRCULAR_MSGTYPE;

/** Content of a valid circular, as plain JSON (what arrives over the wire). */
function wire(overrides: Partial<Circular> = {}): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(buildCircularContent({ circular: sampleCircular(overrides) })),
  ) as Record<string, unknown>;
}

/** Wire content with the structured part patched by `patch`. */
function patched(patch: (c: Record<string, unknown>) => void): Record<string, unknown> {
  const content = wire();
  patch(content[NS] as Record<string, unknown>);
  return content;
}

function errorsOf(content: unknown): { path: string; message: string }[] {
  const r = parseCircular(content);
  if (r.ok) throw new Error('expected the content to be rejected');
  return r.errors;
}

describe('buildCircularContent', () => {
  it('builds an m.room.message that parses back to the same circular', () => {
    const circular = sampleCircular();
    const content = buildCircularContent({ circular });
    expect(content.msgtype).toBe('cn.hongyan.circular');
    expect(content.format).toBe('org.matrix.custom.html');
    expect(parseCircular(JSON.parse(JSON.stringify(content)))).toEqual({ ok: true, circular });
  });

  it('gives other Matrix clients a readable notice: title, 文号, unit, urgency, deadline and text', () => {
    const { body, formatted_body } = buildCircularContent({ circular: sampleCircular() });
    for (const text of [body, formatted_body]) {
      expect(text).toContain('【特急】关于做好防汛工作的通知');
      expect(text).toContain('示府办〔2025〕12号');
      expect(text).toContain('示范省人民政府办公厅');
      expect(text).toContain('2025-06-01 09:00');
      expect(text).toContain('2025-06-03 18:00');
      expect(text).toContain('为做好今年防汛工作');
      expect(text).toContain('防汛工作方案.pdf');
      expect(text).toContain('签收');
    }
    expect(body.split('\n')[0]).toBe('【特急】关于做好防汛工作的通知');
  });

  it('renders paragraphs and line breaks in the HTML fallback', () => {
    const { formatted_body } = buildCircularContent({
      circular: sampleCircular({ body: '第一段\n第二行\n\n第二段' }),
    });
    expect(formatted_body).toContain('<p>第一段<br>第二行</p><p>第二段</p>');
  });

  it('escapes every piece of user text in the HTML fallback', () => {
    const evil = '<img src=x onerror="alert(1)">&\'';
    const { formatted_body } = buildCircularContent({
      circular: sampleCircular({
        title: evil,
        docNumber: evil,
        issuingUnit: { code: '330000', name: evil },
        body: evil,
        attachments: [{ ...sampleCircular().attachments[0]!, name: evil }],
      }),
    });
    expect(formatted_body).not.toContain('<img');
    expect(formatted_body).not.toContain('"alert');
    expect(formatted_body).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;');
  });

  it('omits the urgency mark, deadline and hint lines that do not apply', () => {
    const { body } = buildCircularContent({
      circular: sampleCircular({
        urgency: 'normal',
        ackRequired: false,
        ackDeadline: undefined,
        attachments: [],
        docNumber: undefined,
      }),
    });
    expect(body.startsWith('关于做好防汛工作的通知\n')).toBe(true);
    expect(body).toContain('紧急程度：普通');
    expect(body).not.toContain('签收');
    expect(body).not.toContain('文号');
  });

  it('notifies the whole room only when asked', () => {
    expect(buildCircularContent({ circular: sampleCircular() })['m.mentions']).toEqual({});
    expect(
      buildCircularContent({ circular: sampleCircular(), notifyRoom: true })['m.mentions'],
    ).toEqual({ room: true });
  });

  it('refuses invalid input, naming every bad field', () => {
    const build = () =>
      buildCircularContent({
        circular: sampleCircular({ title: ' ', urgency: 'flash' as 'urgent' }),
      });
    expect(build).toThrow(ContentInputError);
    try {
      build();
    } catch (e) {
      expect((e as ContentInputError).errors.map((x) => x.path).sort()).toEqual([
        `/${NS}/title`,
        `/${NS}/urgency`,
      ]);
    }
  });

  it('refuses content over the event size budget', () => {
    const body = '汉'.repeat(5_000); // 15,000 bytes, carried three times (structured, text, HTML)
    expect(() => buildCircularContent({ circular: sampleCircular({ body }) })).toThrow(
      new RegExp(`${MAX_CIRCULAR_CONTENT_BYTES}-byte limit`),
    );
  });
});

describe('parseCircular', () => {
  it('accepts ULIDs as circular ids', () => {
    expect(parseCircular(wire({ id: '01J0Z8Y6Q3T9V2M4N5P6R7S8T9' })).ok).toBe(true);
  });

  it('ignores unknown fields, so newer senders do not break older readers', () => {
    const content = patched((c) => {
      c.futureField = { anything: true };
    });
    const r = parseCircular({ ...content, 'm.new_content': 'x' });
    expect(r.ok && 'futureField' in r.circular).toBe(false);
    expect(r.ok).toBe(true);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'cn.hongyan.circular'],
    ['an array', [1, 2]],
    ['an empty object', {}],
    ['a plain text message', { msgtype: 'm.text', body: 'hi' }],
    ['a circular without structured data', { msgtype: NS, body: 'x' }],
    ['structured data that is null', { msgtype: NS, body: 'x', [NS]: null }],
    [
      'structured data of wrong types throughout',
      { msgtype: NS, body: 'x', [NS]: { id: 1, title: [], attachments: 'no', targets: {} } },
    ],
    [
      'a __proto__ key',
      JSON.parse(`{"msgtype":"${NS}","body":"x","${NS}":{"__proto__":{"polluted":true}}}`),
    ],
  ])('rejects %s without throwing', (_name, content) => {
    const r = parseCircular(content);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each<[string, (c: Record<string, unknown>) => void, string, RegExp]>([
    ['a missing title', (c) => delete c.title, '/title', /expected string/],
    ['a blank title', (c) => (c.title = '  \n'), '/title', /blank/],
    ['an over-long title', (c) => (c.title = '题'.repeat(201)), '/title', /200/],
    ['an id that is neither UUID nor ULID', (c) => (c.id = 'circular-1'), '/id', /UUID or ULID/],
    ['an unknown urgency', (c) => (c.urgency = 'flash'), '/urgency', /./],
    ['a fractional timestamp', (c) => (c.issuedAt = 1.5), '/issuedAt', /./],
    [
      'a timestamp past the last date',
      (c) => (c.issuedAt = 9e15),
      '/issuedAt',
      /last representable date/,
    ],
    [
      'a deadline before issue',
      (c) => (c.ackDeadline = (c.issuedAt as number) - 1),
      '/ackDeadline',
      /after issuedAt/,
    ],
    [
      'a deadline without ackRequired',
      (c) => (c.ackRequired = false),
      '/ackDeadline',
      /ackRequired/,
    ],
    [
      'an attachment URL that is not mxc',
      (c) =>
        ((c.attachments as { file: { url: string } }[])[0]!.file.url = 'https://evil.example/x'),
      '/attachments/0/file/url',
      /mxc/,
    ],
    [
      'an attachment key of the wrong algorithm',
      (c) => ((c.attachments as { file: { key: { alg: string } } }[])[0]!.file.key.alg = 'A128CBC'),
      '/attachments/0/file/key/alg',
      /./,
    ],
    [
      'an attachment without hashes',
      (c) => delete (c.attachments as { file: { hashes?: unknown } }[])[0]!.file.hashes,
      '/attachments/0/file/hashes',
      /./,
    ],
    [
      'a negative attachment size',
      (c) => ((c.attachments as { size: number }[])[0]!.size = -1),
      '/attachments/0/size',
      /./,
    ],
    ['no targets', (c) => (c.targets = []), '/targets', /./],
    [
      'a level target without level',
      (c) => (c.targets = [{ unitCode: '330100', scope: 'level' }]),
      '/targets/0/level',
      /required/,
    ],
    [
      'a unit target with a level',
      (c) => (c.targets = [{ unitCode: '330100', scope: 'unit', level: 'county' }]),
      '/targets/0/level',
      /only allowed/,
    ],
    [
      'an unknown level',
      (c) => (c.targets = [{ unitCode: '330100', scope: 'level', level: 'galaxy' }]),
      '/targets/0/level',
      /./,
    ],
    ['a non-boolean noForward', (c) => (c.noForward = 'yes'), '/noForward', /./],
  ])('reports %s at its path', (_name, patch, path, message) => {
    const errors = errorsOf(patched(patch));
    const hit = errors.find((e) => e.path === `/${NS}${path}`);
    expect(hit, JSON.stringify(errors)).toBeDefined();
    expect(hit?.message).toMatch(message);
  });

  it('reports a wrong msgtype and a missing fallback body at the top level', () => {
    const content = wire();
    content.msgtype = 'm.notice';
    delete content.body;
    expect(
      errorsOf(content)
        .map((e) => e.path)
        .sort(),
    ).toEqual(['/body', '/msgtype']);
  });

  it('caps the number of errors reported', () => {
    const many = patched((c) => {
      c.attachments = Array.from({ length: 20 }, () => ({}));
    });
    expect(errorsOf(many).length).toBeLessThanOrEqual(20);
  });

  it('keeps the deadline it was given', () => {
    const r = parseCircular(wire());
    expect(r.ok && r.circular.ackDeadline).toBe(DEADLINE);
  });
});
