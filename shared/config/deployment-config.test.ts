import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  mergeConfigLayers,
  parseConfigLayer,
  type ConfigLayer,
} from './deployment-config';
import { normaliseHttpUrl, originOfHttpUrl } from './transport';

function layer(raw: unknown, source: ConfigLayer['source']): ConfigLayer {
  const parsed = parseConfigLayer({ raw, source, origin: `${source}.json` });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return parsed.layer;
}

describe('normaliseHttpUrl', () => {
  it.each([
    ['https://Matrix.Example.GOV.cn/', 'https://matrix.example.gov.cn'],
    ['https://matrix.example.gov.cn:443', 'https://matrix.example.gov.cn'],
    ['https://matrix.example.gov.cn:8448/', 'https://matrix.example.gov.cn:8448'],
    ['https://example.gov.cn/matrix/', 'https://example.gov.cn/matrix'],
    ['http://127.0.0.1:8008', 'http://127.0.0.1:8008'],
    ['http://localhost:8008/', 'http://localhost:8008'],
    ['http://[::1]:8008', 'http://[::1]:8008'],
  ])('normalises %s', (input, expected) => {
    expect(normaliseHttpUrl(input, { allowLoopbackHttp: true })).toEqual({
      ok: true,
      value: expected,
    });
  });

  it.each([
    'http://matrix.example.gov.cn',
    'ftp://matrix.example.gov.cn',
    'https://user:pw@matrix.example.gov.cn',
    'https://matrix.example.gov.cn/?x=1',
    'https://matrix.example.gov.cn/#x',
    'https://政府.cn',
    'https://matrix.example.gov.cn:99999',
    'javascript:alert(1)',
    'matrix.example.gov.cn',
    '',
  ])('refuses %s', (input) => {
    expect(normaliseHttpUrl(input, { allowLoopbackHttp: true }).ok).toBe(false);
  });

  it('refuses loopback http where not allowed', () => {
    expect(normaliseHttpUrl('http://127.0.0.1', { allowLoopbackHttp: false }).ok).toBe(false);
  });

  it('derives the origin', () => {
    expect(originOfHttpUrl('https://example.gov.cn:8448/matrix')).toBe(
      'https://example.gov.cn:8448',
    );
  });
});

describe('parseConfigLayer', () => {
  it('takes the time zone, Beijing time by default, and refuses a zone that does not exist', () => {
    expect(DEFAULT_SETTINGS.timeZone).toBe('Asia/Shanghai');
    expect(layer({ timeZone: 'Asia/Urumqi' }, 'system').values.timeZone).toBe('Asia/Urumqi');
    const bad = parseConfigLayer({
      raw: { timeZone: 'Beijing' },
      source: 'user',
      origin: 'u.json',
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]?.message).toMatch(/"timeZone" must be an IANA time zone/);
  });

  it('accepts bare values and {value, enforced} entries', () => {
    const parsed = parseConfigLayer({
      raw: {
        homeserverUrl: { value: 'https://m.gov.cn', enforced: true },
        watermark: true,
        updateUrl: null,
      },
      source: 'system',
      origin: '/etc/hongyan/config.json',
    });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.layer.values).toEqual({
        homeserverUrl: 'https://m.gov.cn',
        watermark: true,
        updateUrl: null,
      });
      expect([...parsed.layer.enforced]).toEqual(['homeserverUrl']);
    }
  });

  it('collects every problem and names the setting', () => {
    const parsed = parseConfigLayer({
      raw: {
        homeserverUrl: 'http://evil.example',
        watermark: 'yes',
        colour: 'red',
        contentProtection: { enforced: true },
      },
      source: 'system',
      origin: '/etc/hongyan/config.json',
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      const messages = parsed.problems.map((p) => p.message).join('\n');
      expect(messages).toContain('"homeserverUrl"');
      expect(messages).toContain('"watermark" must be true or false');
      expect(messages).toContain('unknown setting "colour"');
      expect(messages).toContain('"contentProtection" is an object without "value"');
      expect(parsed.problems.every((p) => p.origin === '/etc/hongyan/config.json')).toBe(true);
    }
  });

  it('refuses enforcement outside system-wide files', () => {
    const parsed = parseConfigLayer({
      raw: { watermark: { value: false, enforced: true } },
      source: 'user',
      origin: 'u',
    });
    expect(parsed.ok).toBe(false);
  });

  it.each([[null], [[]], ['text'], [42]])('refuses a non-object top level (%j)', (raw) => {
    expect(parseConfigLayer({ raw, source: 'user', origin: 'u' }).ok).toBe(false);
  });
});

describe('mergeConfigLayers', () => {
  it('uses defaults when no layer sets anything', () => {
    const merged = mergeConfigLayers([]);
    expect(merged.watermark).toEqual({ value: DEFAULT_SETTINGS.watermark, enforced: false });
    expect(merged.homeserverUrl).toEqual({ value: null, enforced: false });
  });

  it('lets later layers override earlier ones', () => {
    const merged = mergeConfigLayers([
      layer({ watermark: true }, 'system'),
      layer({ watermark: false }, 'user'),
    ]);
    expect(merged.watermark).toEqual({ value: false, enforced: false });
  });

  it('keeps an enforced system value over the user file and the command line', () => {
    const merged = mergeConfigLayers([
      layer(
        {
          watermark: { value: true, enforced: true },
          homeserverUrl: { value: 'https://a.gov.cn', enforced: true },
        },
        'system',
      ),
      layer({ watermark: false, homeserverUrl: 'https://b.example' }, 'user'),
      layer({ homeserverUrl: 'https://c.example' }, 'command-line'),
    ]);
    expect(merged.watermark).toEqual({ value: true, enforced: true });
    expect(merged.homeserverUrl).toEqual({ value: 'https://a.gov.cn', enforced: true });
  });

  it('refuses enforcement in the portable file, which its user can write', () => {
    const parsed = parseConfigLayer({
      raw: { contentProtection: { value: false, enforced: true } },
      source: 'portable',
      origin: '/opt/Hongyan/hongyan-config.json',
    });
    expect(parsed.ok).toBe(false);
  });
});
