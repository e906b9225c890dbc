import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createRng, type Tensor4D, tf } from '@selfsup/backend';
import sharp from 'sharp';
import type { Augmentation } from '../augmentation.js';

export interface AugmentationPreviewOptions {
  /** Augmented views per input (default 6). */
  views?: number;
  seed?: number;
  /** PNG file to write. */
  out: string;
  /** Pixels per image pixel (default: enough to make cells at least 96 px). */
  scale?: number;
}

/**
 * Writes a grid PNG showing what a pipeline does: one row per input image, the original first
 * and then `views` augmented views, separated by 2-px gray lines and upscaled (nearest) so small
 * images are visible. Views of another size than the input are drawn top-left in their cell.
 *
 * @example await augmentationPreview(images, simclrPreset({ size: [32, 32] }), { out: 'preview.png' });
 */
export async function augmentationPreview(
  images: Tensor4D,
  pipeline: Augmentation,
  options: AugmentationPreviewOptions,
): Promise<void> {
  const viewCount = options.views ?? 6;
  const rng = createRng(options.seed ?? 0);
  const columns: Tensor4D[] = [tf.clone(images)];
  try {
    for (let v = 0; v < viewCount; v++) columns.push(pipeline(images, rng.fork(`preview-${v}`)));
    const rows = images.shape[0];
    const cellHeight = Math.max(...columns.map((c) => c.shape[1]));
    const cellWidth = Math.max(...columns.map((c) => c.shape[2]));
    const scale = options.scale ?? Math.max(1, Math.ceil(96 / Math.max(cellHeight, cellWidth)));
    const gap = 2;
    const gridWidth = columns.length * (cellWidth * scale + gap) + gap;
    const gridHeight = rows * (cellHeight * scale + gap) + gap;
    const grid = new Uint8Array(gridWidth * gridHeight * 3).fill(128);
    columns.forEach((column, c) => {
      const [, height, width, cellChannels] = column.shape;
      const values = tf.tidy(() => tf.clipByValue(column, 0, 1).dataSync());
      for (let r = 0; r < rows; r++) {
        for (let y = 0; y < height * scale; y++) {
          for (let x = 0; x < width * scale; x++) {
            const source = ((r * height + Math.floor(y / scale)) * width + Math.floor(x / scale)) * cellChannels;
            const gx = gap + c * (cellWidth * scale + gap) + x;
            const gy = gap + r * (cellHeight * scale + gap) + y;
            for (let k = 0; k < 3; k++)
              grid[(gy * gridWidth + gx) * 3 + k] = Math.round(
                255 * (values[source + (cellChannels === 1 ? 0 : k)] as number),
              );
          }
        }
      }
    });
    await mkdir(dirname(options.out), { recursive: true });
    await sharp(Buffer.from(grid), { raw: { width: gridWidth, height: gridHeight, channels: 3 } })
      .png()
      .toFile(options.out);
  } finally {
    tf.dispose(columns);
  }
}
