import type { Rng } from '@selfsup/backend';

/**
 * Which pixels an inpainting task hides (Pathak et al. 2016, §3.3):
 * - `center`: a central square of side `maskSize`·side (the paper: half the image);
 * - `random-block`: a square of that side at a random place in each image;
 * - `random-region`: a union of random rectangles covering about `coverage` of each image (a
 *   stand-in for the paper's random shapes from PASCAL VOC segmentations).
 */
export type InpaintingMaskKind = 'center' | 'random-block' | 'random-region';

export const INPAINTING_MASK_KINDS: readonly InpaintingMaskKind[] = ['center', 'random-block', 'random-region'];

export interface InpaintingMaskOptions {
  kind: InpaintingMaskKind;
  /** Side of the square, as a fraction of the image side (`center`, `random-block`). */
  maskSize: number;
  /** Fraction of pixels to hide (`random-region`). */
  coverage: number;
}

/**
 * Masks for a batch: 1 where a pixel is hidden (and reconstructed), 0 where the encoder sees it.
 * Random kinds draw from `rng`; `center` draws nothing.
 *
 * Shapes: → Float32Array [count, height, width] (row-major).
 *
 * @example const masks = inpaintingMasks(8, 28, 28, { kind: 'random-block', maskSize: 0.5, coverage: 0.25 }, rng);
 * @throws for an unknown kind or a size out of (0, 1].
 */
export function inpaintingMasks(
  count: number,
  height: number,
  width: number,
  options: InpaintingMaskOptions,
  rng: Rng,
): Float32Array {
  if (!INPAINTING_MASK_KINDS.includes(options.kind)) {
    throw new Error(
      `inpaintingMasks: '${options.kind}' is not a mask kind; known: ${INPAINTING_MASK_KINDS.join(', ')}`,
    );
  }
  if (!(options.maskSize > 0 && options.maskSize <= 1)) {
    throw new Error(`inpaintingMasks: maskSize must be in (0, 1]; got ${options.maskSize}`);
  }
  if (!(options.coverage > 0 && options.coverage <= 1)) {
    throw new Error(`inpaintingMasks: coverage must be in (0, 1]; got ${options.coverage}`);
  }
  const masks = new Float32Array(count * height * width);
  const fill = (image: number, top: number, left: number, rows: number, cols: number) => {
    for (let y = top; y < top + rows; y++)
      masks.fill(1, (image * height + y) * width + left, (image * height + y) * width + left + cols);
  };
  const blockRows = Math.max(1, Math.round(options.maskSize * height));
  const blockCols = Math.max(1, Math.round(options.maskSize * width));
  for (let image = 0; image < count; image++) {
    if (options.kind === 'center') {
      fill(image, Math.floor((height - blockRows) / 2), Math.floor((width - blockCols) / 2), blockRows, blockCols);
    } else if (options.kind === 'random-block') {
      fill(image, rng.int(height - blockRows + 1), rng.int(width - blockCols + 1), blockRows, blockCols);
    } else {
      const target = options.coverage * height * width;
      let hidden = 0;
      for (let attempt = 0; attempt < 64 && hidden < target; attempt++) {
        const rows = Math.max(1, Math.round(rng.uniform(0.1, 0.4) * height));
        const cols = Math.max(1, Math.round(rng.uniform(0.1, 0.4) * width));
        fill(image, rng.int(height - rows + 1), rng.int(width - cols + 1), rows, cols);
        hidden = 0;
        for (let p = image * height * width; p < (image + 1) * height * width; p++) hidden += masks[p] as number;
      }
    }
  }
  return masks;
}
