import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FALLBACK_FILE_NAME,
  sanitizeFileName,
  setupDownloads,
  setupDownloadsIpc,
} from './downloads';
import { createIpcRegistry } from './ipc';
import { createMemoryLogger } from './logger';
import { createFakeElectron } from './testing/fake-electron';

describe('sanitizeFileName', () => {
  it.each([
    ['plain name kept', '关于开展安全检查的通知.pdf', '关于开展安全检查的通知.pdf'],
    ['POSIX path reduced to its last component', '../../etc/passwd', 'passwd'],
    [
      'Windows path reduced to its last component',
      '..\\..\\Windows\\System32\\evil.dll',
      'evil.dll',
    ],
    ['mixed separators', 'a/b\\c.txt', 'c.txt'],
    ['dot-dot only', '..', FALLBACK_FILE_NAME],
    ['dot-dot inside a name collapsed', 'report..final.docx', 'report.final.docx'],
    ['leading dots (hidden file) removed', '.bashrc', 'bashrc'],
    ['trailing dots and spaces removed (Windows)', 'report.pdf. . ', 'report.pdf'],
    ['control characters replaced', 'a\u0000b\u0007c\n.txt', 'a_b_c_.txt'],
    ['Windows-forbidden characters replaced', 'a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['bidi override cannot disguise the extension', 'invoice\u202Efdp.exe', 'invoice_fdp.exe'],
    ['zero-width characters replaced', 'a\u200Bb.txt', 'a_b.txt'],
    ['reserved device name', 'CON', '_CON'],
    ['reserved device name with extension', 'nul.txt', '_nul.txt'],
    ['reserved COM port', 'com1.log', '_com1.log'],
    ['a name that only looks reserved is kept', 'console.txt', 'console.txt'],
    ['empty', '', FALLBACK_FILE_NAME],
    ['only separators', '///', FALLBACK_FILE_NAME],
    ['only forbidden characters', '???', FALLBACK_FILE_NAME],
    ['space runs collapsed, tabs replaced', 'a   b\t\tc.txt', 'a b__c.txt'],
  ])('%s', (_label, input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('truncates long names to 200 UTF-8 bytes, keeping the extension and whole characters', () => {
    const name = sanitizeFileName(`${'通'.repeat(150)}.pdf`);
    expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(200);
    expect(name.endsWith('.pdf')).toBe(true);
    expect(name).not.toContain('\uFFFD');
  });

  it('never returns a name with a separator, a dot-dot or a control character', () => {
    const hostile = [
      '..\\..\\',
      '/..',
      'a/../b',
      '\u0000',
      'x\\..\\y',
      '....',
      '. .',
      'a:b',
      'C:\\x',
    ];
    for (const input of hostile) {
      const name = sanitizeFileName(input);
      // eslint-disable-next-line no-control-regex -- checking that no control character survives
      expect(name).not.toMatch(/[/\\:\u0000-\u001f]|\.\./);
      expect(name.length).toBeGreaterThan(0);
    }
  });
});

describe('saving a file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hongyan-downloads-'));
    mkdirSync(join(dir, 'Downloads'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function setup(): {
    electron: ReturnType<typeof createFakeElectron>;
    logger: ReturnType<typeof createMemoryLogger>;
  } {
    const electron = createFakeElectron({ baseDir: dir });
    const logger = createMemoryLogger();
    const downloads = setupDownloads({
      electron,
      logger,
      downloadsPath: () => join(dir, 'Downloads'),
    });
    setupDownloadsIpc({
      registry: createIpcRegistry({ electron, logger }),
      downloads,
      mainWindow: () => null,
    });
    return { electron, logger };
  }

  it('offers the sanitised name in the Downloads folder and writes the bytes where the user chose', async () => {
    const { electron, logger } = setup();
    const target = join(dir, 'Downloads', 'chosen.pdf');
    electron.state.saveDialogResult = { canceled: false, filePath: target };
    const result = await electron.invoke('files:save', {
      data: new Uint8Array([1, 2, 3]),
      suggestedName: '../../.ssh/authorized_keys',
    });
    expect(result).toEqual({ saved: true, fileName: 'chosen.pdf' });
    expect(electron.state.saveDialogRequests[0]?.defaultPath).toBe(
      join(dir, 'Downloads', 'authorized_keys'),
    );
    expect([...readFileSync(target)]).toEqual([1, 2, 3]);
    expect(logger.text()).toContain('sanitised');
  });

  it('reports a cancelled dialog', async () => {
    const { electron } = setup();
    await expect(
      electron.invoke('files:save', { data: new Uint8Array([1]), suggestedName: 'a.txt' }),
    ).resolves.toEqual({ saved: false, reason: 'canceled' });
  });

  it('reports a failed write and keeps running', async () => {
    const { electron, logger } = setup();
    electron.state.saveDialogResult = {
      canceled: false,
      filePath: join(dir, 'no-such-folder', 'a.txt'),
    };
    await expect(
      electron.invoke('files:save', { data: new Uint8Array([1]), suggestedName: 'a.txt' }),
    ).resolves.toEqual({ saved: false, reason: 'failed' });
    expect(logger.text()).toContain('ENOENT');
  });

  it('sanitises downloads the page starts itself', () => {
    const { electron } = setup();
    const options: { defaultPath: string }[] = [];
    electron.emit.willDownload({
      getFilename: () => '..\\evil\u202Etxt.exe',
      setSaveDialogOptions: (o) => options.push(o),
    });
    expect(options[0]?.defaultPath).toBe(join(dir, 'Downloads', 'evil_txt.exe'));
  });
});
