/**
 * Saving files: the renderer hands over decrypted bytes and a suggested name; the user picks the
 * place in a save dialog. Suggested names come from message content (i.e. from other people), so they
 * are sanitised before they reach a dialog or the disk.
 */
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ElectronSeam, WindowLike } from './electron-seam';
import type { IpcRegistry } from './ipc';
import type { Logger } from './logger';

/** Name used when nothing usable is left of a suggested name. */
export const FALLBACK_FILE_NAME = 'download';
const MAX_NAME_BYTES = 200;

// Device names Windows reserves in any folder, with or without an extension (`CON.txt` too).
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\.|$)/i;
// Control characters, characters Windows forbids, and bidi/zero-width controls that can disguise an
// extension (`invoice\u202Efdp.exe` displays as `invoiceexe.pdf`).
const FORBIDDEN_CHARS =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be removed
  /[\u0000-\u001f\u007f-\u009f<>:"|?*\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name, 'utf8') <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let stem = ext ? name.slice(0, dot) : name;
  // Drop whole code points (never split a surrogate pair) until it fits.
  const points = Array.from(stem);
  while (points.length > 0 && Buffer.byteLength(points.join('') + ext, 'utf8') > maxBytes)
    points.pop();
  stem = points.join('');
  return stem + ext;
}

/**
 * Turns a suggested file name into one safe to offer in a save dialog: only the last path component,
 * no separators, `..`, control or bidi characters, no characters Windows forbids, no reserved device
 * names, no leading dots (hidden files) or trailing dots and spaces, at most 200 UTF-8 bytes.
 * Returns {@link FALLBACK_FILE_NAME} if nothing is left.
 */
export function sanitizeFileName(suggested: string): string {
  // Treat both separators as separators on every platform, then keep the last component.
  const lastComponent = suggested.split(/[/\\]/).pop() ?? '';
  let name = lastComponent.normalize('NFC').replace(FORBIDDEN_CHARS, '_');
  name = name.replace(/\.{2,}/g, '.');
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  name = name.replace(/\s+/g, ' ');
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  name = truncateUtf8(name, MAX_NAME_BYTES).replace(/[.\s]+$/, '');
  return name === '' || /^_+$/.test(name) ? FALLBACK_FILE_NAME : name;
}

/** Save-file flow: dialog, then write. */
export interface Downloads {
  save(params: {
    data: Uint8Array;
    suggestedName: string;
    parent: WindowLike | null;
  }): Promise<{ saved: true; fileName: string } | { saved: false; reason: 'canceled' | 'failed' }>;
}

/** Creates the save flow and applies the same sanitising to downloads the page starts itself. */
export function setupDownloads(params: {
  electron: ElectronSeam;
  logger: Logger;
  downloadsPath: () => string;
}): Downloads {
  const { electron, logger, downloadsPath } = params;

  electron.session.onWillDownload((item) => {
    const original = item.getFilename();
    const name = sanitizeFileName(original);
    if (name !== original) logger.info('download file name sanitised');
    item.setSaveDialogOptions({ title: 'Save file', defaultPath: join(downloadsPath(), name) });
  });

  return {
    async save({ data, suggestedName, parent }) {
      const name = sanitizeFileName(suggestedName);
      if (name !== suggestedName)
        logger.info('suggested file name sanitised before the save dialog');
      const choice = await electron.dialog.showSaveDialog(parent, {
        title: 'Save file',
        defaultPath: join(downloadsPath(), name),
      });
      if (choice.canceled || !choice.filePath) return { saved: false, reason: 'canceled' };
      try {
        await writeFile(choice.filePath, data);
        return { saved: true, fileName: basename(choice.filePath) };
      } catch (error) {
        logger.error(
          `file could not be saved: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
        return { saved: false, reason: 'failed' };
      }
    },
  };
}

/** Registers `files:save`; the dialog is parented to the main window. */
export function setupDownloadsIpc(params: {
  registry: IpcRegistry;
  downloads: Downloads;
  mainWindow: () => WindowLike | null;
}): void {
  params.registry.handle('files:save', ({ data, suggestedName }) =>
    params.downloads.save({ data, suggestedName, parent: params.mainWindow() }),
  );
}
