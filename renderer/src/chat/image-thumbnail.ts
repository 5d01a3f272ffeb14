/** Longest side of a generated thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 480;

/** Size and thumbnail of an image file, made in the browser (the server never sees the image). */
export interface ImageFacts {
  width: number;
  height: number;
  thumbnail?: { data: Uint8Array<ArrayBuffer>; mimeType: string; width: number; height: number };
}

/** Reads an image's size and, when it is large, draws a JPEG thumbnail. Returns null for non-images. */
export async function imageFacts(file: Blob): Promise<ImageFacts | null> {
  if (!file.type.startsWith('image/') || file.type === 'image/svg+xml') return null;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return null;
  }
  const { width, height } = bitmap;
  const scale = Math.min(1, THUMBNAIL_SIZE / Math.max(width, height));
  if (scale === 1) {
    bitmap.close();
    return { width, height };
  }
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) =>
    canvas.toBlob(resolve, 'image/jpeg', 0.8),
  );
  if (!blob) return { width, height };
  return {
    width,
    height,
    thumbnail: {
      data: new Uint8Array(await blob.arrayBuffer()),
      mimeType: 'image/jpeg',
      width: w,
      height: h,
    },
  };
}
