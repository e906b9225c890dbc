import { createRng, type Tensor4D, tf } from '@selfsup/backend';
import { pngBlob, writePngFile } from '#png-file';
import type { Augmentation, ViewMaker } from '../augmentation.js';
import { childRng } from '../per-sample.js';

/** Options of {@link augmentationPreview}. */
export interface AugmentationPreviewOptions {
  /**
   * PNG file to write, its folder created (Node only). Without it the grid comes back as a PNG
   * `Blob` (`png`), on both platforms.
   */
  out?: string;
  /** Calls of the pipeline per input (default 6); a view maker adds all its views per call. */
  views?: number;
  /** Seed of the pipeline's random stream (default 0). */
  seed?: number;
  /** Pixels per image pixel, nearest-neighbour (default: enough for cells of about 96 px). */
  scale?: number;
  /** Separator width in pixels (default 2). */
  gap?: number;
}

/** The grid's layout, as {@link augmentationPreview} drew it. */
export interface AugmentationPreviewGrid {
  /** One row per input image. */
  rows: number;
  /** The original, then the views. */
  columns: number;
  width: number;
  height: number;
}

/** What {@link augmentationPreview} wrote (with `out`). */
export interface AugmentationPreview extends AugmentationPreviewGrid {
  path: string;
}

/** The grid {@link augmentationPreview} drew (without `out`): a PNG `Blob`. */
export interface AugmentationPreviewImage extends AugmentationPreviewGrid {
  png: Blob;
}

/**
 * Draws a grid PNG that shows what a pipeline does: one row per input image, its original in the
 * first column, then the augmented views, on a mid-gray background that leaves a `gap`-pixel
 * separator around every cell. Cells are upscaled (nearest) so small images are visible; views
 * smaller than the cell (local crops) are centered. Values are clamped to [0, 1] for display.
 * With `out` (Node) the PNG is written to that file; without it (Node or a browser) it comes back
 * as a `Blob`.
 *
 * Shapes: `images` `[N, H, W, C]` (C = 1 or 3) → a PNG of N rows and 1 + K·V columns (V views per
 * call, 1 for an augmentation).
 *
 * @example
 * await augmentationPreview(images.slice(0, 8), simclrPreset({ size: [32, 32] }), { views: 6, out: 'preview.png' });
 * // in a browser:
 * const { png } = await augmentationPreview(images, simclrPreset({ size: [32, 32] }), { views: 6 });
 * img.src = URL.createObjectURL(png);
 * @throws if images are not `[N, H, W, 1|3]`, if the pipeline throws, or the file cannot be written
 * (in a browser, `out` throws: files are Node-only).
 */
export async function augmentationPreview(
  images: Tensor4D,
  pipeline: Augmentation | ViewMaker,
  options: AugmentationPreviewOptions & { out: string },
): Promise<AugmentationPreview>;
export async function augmentationPreview(
  images: Tensor4D,
  pipeline: Augmentation | ViewMaker,
  options?: AugmentationPreviewOptions & { out?: undefined },
): Promise<AugmentationPreviewImage>;
export async function augmentationPreview(
  images: Tensor4D,
  pipeline: Augmentation | ViewMaker,
  options: AugmentationPreviewOptions = {},
): Promise<AugmentationPreview | AugmentationPreviewImage> {
  if (images.rank !== 4 || (images.shape[3] !== 1 && images.shape[3] !== 3)) {
    throw new Error(`augmentationPreview: images must be [N, H, W, 1|3]; got [${images.shape}]`);
  }
  const calls = options.views ?? 6;
  const gap = options.gap ?? 2;
  if (!Number.isInteger(calls) || calls < 0)
    throw new Error(`augmentationPreview: views must be an integer ≥ 0; got ${calls}`);
  if (!Number.isInteger(gap) || gap < 0) throw new Error(`augmentationPreview: gap must be an integer ≥ 0; got ${gap}`);
  const rng = createRng(options.seed ?? 0);
  const columns: Tensor4D[] = [tf.clone(images)];
  try {
    for (let call = 0; call < calls; call++) {
      const out = pipeline(images, childRng(rng, `preview-${call}`));
      columns.push(...(Array.isArray(out) ? out : [out]));
    }
    const rows = images.shape[0];
    const cellHeight = Math.max(...columns.map((c) => c.shape[1]));
    const cellWidth = Math.max(...columns.map((c) => c.shape[2]));
    const scale = options.scale ?? Math.max(1, Math.ceil(96 / Math.max(cellHeight, cellWidth)));
    if (!Number.isInteger(scale) || scale < 1) {
      throw new Error(`augmentationPreview: scale must be a positive integer; got ${scale}`);
    }
    const cellH = cellHeight * scale;
    const cellW = cellWidth * scale;
    const width = columns.length * (cellW + gap) + gap;
    const height = rows * (cellH + gap) + gap;
    const grid = new Uint8Array(width * height * 3).fill(128);
    for (const column of columns) {
      const count = column.shape[0];
      if (count !== rows) throw new Error(`augmentationPreview: a view has ${count} images for ${rows} inputs`);
    }
    // Every column's bytes in one asynchronous readback (WebGPU has no synchronous one).
    const bytes = tf.tidy(() =>
      tf.concat(columns.map((column) => tf.reshape(tf.round(tf.mul(tf.clipByValue(column, 0, 1), 255)), [-1]))),
    );
    let all: Float32Array;
    try {
      all = (await bytes.data()) as Float32Array;
    } finally {
      bytes.dispose();
    }
    let offset = 0;
    columns.forEach((column, c) => {
      const [, h, w, channels] = column.shape;
      const values = all.subarray(offset, offset + column.size);
      offset += column.size;
      const x0 = gap + c * (cellW + gap) + Math.floor((cellW - w * scale) / 2);
      for (let r = 0; r < rows; r++) {
        const y0 = gap + r * (cellH + gap) + Math.floor((cellH - h * scale) / 2);
        for (let y = 0; y < h * scale; y++) {
          const sourceRow = (r * h + Math.floor(y / scale)) * w;
          const target = ((y0 + y) * width + x0) * 3;
          for (let x = 0; x < w * scale; x++) {
            const source = (sourceRow + Math.floor(x / scale)) * channels;
            for (let k = 0; k < 3; k++) grid[target + x * 3 + k] = values[source + (channels === 1 ? 0 : k)] as number;
          }
        }
      }
    });
    const png = await pngBlob(grid, width, height, 3);
    const layout = { rows, columns: columns.length, width, height };
    if (options.out === undefined) return { png, ...layout };
    await writePngFile(options.out, png, 'augmentationPreview');
    return { path: options.out, ...layout };
  } finally {
    tf.dispose(columns);
  }
}
