import { MsgType, type MatrixClient } from 'matrix-js-sdk';
import { decryptAttachment, encryptAttachment } from './attachment-crypto';
import type { EncryptedFileInfo } from '../../../shared/encrypted-file';
import { clientFetch } from './token-refresh';
import type { AttachmentInput } from '../store/outbox-item';

/** Content of an `m.file`/`m.image` message carrying an encrypted file. */
export interface EncryptedFileContent extends Record<string, unknown> {
  msgtype: typeof MsgType.File | typeof MsgType.Image;
  body: string;
  filename: string;
  file: EncryptedFileInfo;
  info: {
    mimetype: string;
    size: number;
    w?: number;
    h?: number;
    thumbnail_file?: EncryptedFileInfo;
    thumbnail_info?: { mimetype: string; size: number; w: number; h: number };
  };
}

/** Parameters of {@link uploadEncryptedAttachment}. */
export interface UploadAttachmentParams {
  client: MatrixClient;
  file: AttachmentInput;
  /** Called with bytes sent so far (browser uploads only; Node's fetch reports nothing). */
  onProgress?: (loaded: number, total: number) => void;
  abortController?: AbortController;
}

async function uploadCiphertext(
  params: UploadAttachmentParams,
  data: Uint8Array<ArrayBuffer>,
  progress: boolean,
): Promise<string> {
  // The upload is ciphertext with a neutral type and no name: the server learns only the size.
  const res = await params.client.uploadContent(data, {
    type: 'application/octet-stream',
    includeFilename: false,
    ...(progress && params.onProgress
      ? { progressHandler: (p) => params.onProgress?.(p.loaded, p.total) }
      : {}),
    ...(params.abortController ? { abortController: params.abortController } : {}),
  });
  return res.content_uri;
}

/**
 * Encrypts the file (and its thumbnail) on this device, uploads the ciphertext and returns the
 * message content to send. The key travels only inside that content, which is itself end-to-end
 * encrypted by the room's Megolm session.
 */
export async function uploadEncryptedAttachment(
  params: UploadAttachmentParams,
): Promise<EncryptedFileContent> {
  const { file } = params;
  const encrypted = await encryptAttachment(file.data);
  const url = await uploadCiphertext(params, encrypted.data, true);
  const isImage = file.mimeType.startsWith('image/');
  const content: EncryptedFileContent = {
    msgtype: isImage ? MsgType.Image : MsgType.File,
    body: file.name,
    filename: file.name,
    file: { ...encrypted.info, url },
    info: {
      mimetype: file.mimeType,
      size: file.data.byteLength,
      ...(file.width && file.height ? { w: file.width, h: file.height } : {}),
    },
  };
  if (isImage && file.thumbnail) {
    const thumb = await encryptAttachment(file.thumbnail.data);
    const thumbUrl = await uploadCiphertext(params, thumb.data, false);
    content.info.thumbnail_file = { ...thumb.info, url: thumbUrl };
    content.info.thumbnail_info = {
      mimetype: file.thumbnail.mimeType,
      size: file.thumbnail.data.byteLength,
      w: file.thumbnail.width,
      h: file.thumbnail.height,
    };
  }
  return content;
}

/** Checks that `file` from an event looks like an EncryptedFile; names the bad field otherwise. */
export function parseEncryptedFile(value: unknown): EncryptedFileInfo {
  const f = value as Partial<EncryptedFileInfo> | null;
  if (!f || typeof f !== 'object') throw new Error('encrypted file: "file" is missing');
  if (typeof f.url !== 'string' || !f.url.startsWith('mxc://'))
    throw new Error('encrypted file: "url" is not an mxc:// URL');
  if (typeof f.iv !== 'string') throw new Error('encrypted file: "iv" missing');
  if (!f.key || typeof f.key.k !== 'string') throw new Error('encrypted file: "key.k" missing');
  if (!f.hashes || typeof f.hashes.sha256 !== 'string')
    throw new Error('encrypted file: "hashes.sha256" missing');
  return f as EncryptedFileInfo;
}

/**
 * Downloads an encrypted file through the authenticated media API and decrypts it.
 * @throws Error when the URL is not mxc://, the download fails, or the hash does not match.
 */
export async function downloadEncryptedAttachment(
  client: MatrixClient,
  file: EncryptedFileInfo,
): Promise<Uint8Array<ArrayBuffer>> {
  const http = client.mxcUrlToHttp(file.url, undefined, undefined, undefined, false, true, true);
  if (!http) throw new Error(`cannot download ${file.url}: not a valid mxc:// URL`);
  const token = client.getAccessToken();
  // The client's own fetch renews an expired access token (see token-refresh.ts).
  const res = await clientFetch(client)(http, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok) throw new Error(`download of ${file.url} failed: HTTP ${res.status}`);
  return decryptAttachment(new Uint8Array(await res.arrayBuffer()), file);
}
