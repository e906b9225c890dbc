import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';

/** Encodes 8-bit pixels `[height, width, channels]` as a PNG (sharp; grayscale stays 1 channel). */
export async function pngBlob(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<Blob> {
  const encoder = sharp(pixels, { raw: { width, height, channels } });
  const png = await (channels === 1 ? encoder.toColourspace('b-w') : encoder).png().toBuffer();
  return new Blob([png], { type: 'image/png' });
}

/** Writes a PNG to `path`, creating its folder. */
export async function writePngFile(path: string, png: Blob, _op: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, new Uint8Array(await png.arrayBuffer()));
}
