import type { Rng } from '@selfsup/backend';

/** Which patches of each image an MAE encoder sees. */
export interface PatchMasking {
  /** Visible patches per image: numPatches − round(numPatches · maskRatio), at least 1. */
  visible: number;
  /** Visible patch indices per image, in the shuffled order the encoder gets them [count · visible]. */
  visibleIndices: Int32Array;
  /**
   * Per image, where each patch (in image order) sits in [visible tokens, then masked ones]
   * [count · numPatches]: the gather that puts the decoder's sequence back into image order.
   */
  restoreIndices: Int32Array;
  /** 1 where a patch is masked (and scored), 0 where it is visible [count · numPatches], image order. */
  mask: Float32Array;
}

/**
 * Per-image random masking of patches (He et al. 2022, arXiv:2111.06377, §3): a random
 * permutation of the patches (from `rng`), the first `visible` kept — uniform sampling without
 * replacement, no centre bias — the rest masked.
 *
 * @example const { visibleIndices, restoreIndices, mask } = randomPatchMasking(8, 49, 0.75, rng);
 * @throws if `maskRatio` is not in [0, 1) or `numPatches` is not a positive integer.
 */
export function randomPatchMasking(count: number, numPatches: number, maskRatio: number, rng: Rng): PatchMasking {
  if (!(maskRatio >= 0 && maskRatio < 1)) {
    throw new Error(`randomPatchMasking: maskRatio must be in [0, 1); got ${maskRatio}`);
  }
  if (!Number.isInteger(numPatches) || numPatches < 1) {
    throw new Error(`randomPatchMasking: numPatches must be a positive integer; got ${numPatches}`);
  }
  const visible = Math.max(1, numPatches - Math.round(numPatches * maskRatio));
  const visibleIndices = new Int32Array(count * visible);
  const restoreIndices = new Int32Array(count * numPatches);
  const mask = new Float32Array(count * numPatches).fill(1);
  for (let image = 0; image < count; image++) {
    const order = rng.permutation(numPatches);
    for (let position = 0; position < numPatches; position++) {
      const patch = order[position] as number;
      restoreIndices[image * numPatches + patch] = position;
      if (position < visible) {
        visibleIndices[image * visible + position] = patch;
        mask[image * numPatches + patch] = 0;
      }
    }
  }
  return { visible, visibleIndices, restoreIndices, mask };
}
