import { createRng, type Tensor4D, tf } from '@selfsup/backend';
import type { Dataset } from './dataset.js';

/**
 * The size photos are decoded at for patches of `patchSize`: 240×320 for 28-px patches, scaled
 * with the patch size — so a patch covers the same share of a photo at every patch size, in more
 * detail (64-px patches: 549×731).
 *
 * @example photoDecodeSize(64); // [549, 731]
 */
export function photoDecodeSize(patchSize: number): [number, number] {
  const scale = patchSize / 28;
  return [Math.round(240 * scale), Math.round(320 * scale)];
}

/** Photographs decoded for patch sampling, split into training and held-out photos. */
export interface PhotoSplit {
  /** The training photos [P, H, W, 3] in [0, 1]. */
  train: Tensor4D;
  /** The held-out photos [Q, H, W, 3] in [0, 1]: patches for evaluation come from photos training never saw. */
  heldOut: Tensor4D;
  trainFiles: string[];
  heldOutFiles: string[];
}

/**
 * Decodes photographs with sharp (resized to cover {@link photoDecodeSize} of `patchSize`,
 * centre-cropped) and holds every `heldOutEvery`-th file out (the 4th, 8th, … by default).
 * The caller disposes both tensors.
 *
 * @example
 * const photos = await loadPhotoSplit(await photoFiles(['photos/']), { patchSize: 28 }); // train [P, 240, 320, 3]
 * @throws if a file cannot be read, or no photo is left for one side of the split.
 */
export async function loadPhotoSplit(
  files: readonly string[],
  options: { patchSize: number; heldOutEvery?: number },
): Promise<PhotoSplit> {
  const every = options.heldOutEvery ?? 4;
  const heldOutFiles = files.filter((_, i) => i % every === every - 1);
  const trainFiles = files.filter((_, i) => i % every !== every - 1);
  if (heldOutFiles.length === 0 || trainFiles.length === 0) {
    throw new Error(
      `loadPhotoSplit: ${files.length} photo(s) leave none to hold out (every ${every}th); need at least ${every}`,
    );
  }
  // sharp loads with the reader, not with this package.
  const { readImages } = await import('@selfsup/augment');
  const size = photoDecodeSize(options.patchSize);
  const train = await readImages(trainFiles, { size, channels: 3 });
  const heldOut = await readImages(heldOutFiles, { size, channels: 3 }).catch((error: unknown) => {
    train.dispose();
    throw error;
  });
  return { train, heldOut, trainFiles, heldOutFiles };
}

/**
 * `count` random square crops of photos, resized to `patchSize` (bilinear), each horizontally
 * flipped half the time: crops of 1.5× to 6× the patch side (capped by the photo), so objects
 * appear at several scales. Shapes: photos [P, H, W, 3] → [count, patchSize, patchSize, 3] in [0, 1].
 */
function randomPatches(photos: Tensor4D, count: number, patchSize: number, seed: string): Tensor4D {
  const [photoCount, height, width] = photos.shape;
  const rng = createRng(seed);
  const boxes: number[][] = [];
  const indices: number[] = [];
  const flips: number[] = [];
  const maxSide = Math.min(height, width);
  for (let i = 0; i < count; i++) {
    const side = Math.min(maxSide, Math.round(patchSize * rng.uniform(1.5, 6)));
    const top = rng.int(height - side + 1);
    const left = rng.int(width - side + 1);
    flips.push(rng.bernoulli(0.5) ? 1 : 0);
    boxes.push([
      top / (height - 1),
      left / (width - 1),
      (top + side - 1) / (height - 1),
      (left + side - 1) / (width - 1),
    ]);
    indices.push(rng.int(photoCount));
  }
  return tf.tidy(() => {
    const crops = tf.clipByValue(
      tf.image.cropAndResize(photos, tf.tensor2d(boxes), tf.tensor1d(indices, 'int32'), [patchSize, patchSize]),
      0,
      1,
    );
    const flip = tf.reshape(tf.tensor1d(flips), [count, 1, 1, 1]);
    return tf.add(tf.mul(tf.reverse(crops, 2), flip), tf.mul(crops, tf.sub(1, flip)));
  }) as Tensor4D;
}

/** Options of {@link photoPatchDataset}. */
export interface PhotoPatchDatasetOptions {
  /** Patches per batch. */
  batchSize: number;
  /** Batches per epoch (the patches are drawn anew for each). */
  batchesPerEpoch: number;
  /** Side of a square patch in pixels. */
  patchSize: number;
  seed: number;
}

/**
 * Batches of random patches of photographs — random square crops of 1.5–6× the patch side,
 * resized, half of them flipped — as pretraining data for colour tasks. Each batch is a function
 * of (seed, epoch, step), so a resumed run sees the same patches, and iterating an epoch again
 * gives the same batches (a fixed held-out set: one batch of one epoch). The consumer disposes them.
 *
 * Shapes: photos [P, H, W, 3] in [0, 1] (e.g. {@link loadPhotoSplit}) → batches [batchSize, patchSize, patchSize, 3].
 *
 * @example
 * const data = photoPatchDataset(photos.train, { batchSize: 128, batchesPerEpoch: 46, patchSize: 28, seed: 0 });
 * @throws if a size is not a positive integer.
 */
export function photoPatchDataset(photos: Tensor4D, options: PhotoPatchDatasetOptions): Dataset<Tensor4D> {
  for (const key of ['batchSize', 'batchesPerEpoch', 'patchSize'] as const) {
    const value = options[key];
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`photoPatchDataset: ${key} must be a positive integer; got ${value}`);
  }
  return {
    size: options.batchesPerEpoch,
    async *iterate(epoch) {
      for (let step = 0; step < options.batchesPerEpoch; step++) {
        yield randomPatches(
          photos,
          options.batchSize,
          options.patchSize,
          `${options.seed}/epoch-${epoch}/step-${step}`,
        );
      }
    },
  };
}

/**
 * A fixed sample of `count` random photo patches, as {@link photoPatchDataset} draws them (e.g. to
 * estimate colorization's ab prior). Shapes: photos [P, H, W, 3] → [count, patchSize, patchSize, 3].
 *
 * @example const sample = photoPatchSample(photos.train, 2048, 28, 7);
 */
export function photoPatchSample(photos: Tensor4D, count: number, patchSize: number, seed: number): Tensor4D {
  return randomPatches(photos, count, patchSize, `${seed}/sample`);
}
