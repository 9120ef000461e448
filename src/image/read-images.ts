/**
 * Reading image files (Node): each path → its pixels resized to S×S (load-image.ts), or the error
 * that names the file; one bad file does not stop the others.
 */
import { readRegularFile } from '../io/read-file.ts';
import { decodeImage, resizeImage } from './load-image.ts';

/** The largest image file read (256 MiB); a FIFO or a device is refused too (readRegularFile). */
export const MAX_IMAGE_BYTES = 256 * 2 ** 20;

/** One file's outcome: its pixels [S · S · 3] or why it could not be read. */
export type ImageResult = { path: string; pixels: Float32Array; error?: undefined } | { path: string; pixels?: undefined; error: string };

/**
 * Read and resize every path to S×S; a missing or bad file gives its error, the others still load.
 * `readFile` gets a path's bytes (default: a regular file of at most MAX_IMAGE_BYTES; the CLI maps '-' to standard input).
 */
export function readImages(
  paths: readonly string[],
  S: number,
  { readFile = (path) => readRegularFile(path, { what: 'image', maxBytes: MAX_IMAGE_BYTES }) }: { readFile?: (path: string) => Uint8Array } = {},
): ImageResult[] {
  return paths.map((path) => {
    try {
      let bytes: Uint8Array;
      try {
        bytes = readFile(path);
      } catch (err) {
        throw new Error(`${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
      }
      const resized = resizeImage(decodeImage(bytes, path), S);
      const pixels = resized.dataSync() as Float32Array;
      resized.dispose();
      return { path, pixels };
    } catch (err) {
      return { path, error: (err as Error).message };
    }
  });
}

