import { type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { type AbBins, nearestAbBin } from './ab-quantization.js';
import { rgbToLab } from './lab.js';

const PIXELS_PER_CHUNK = 16_384;

/**
 * The empirical distribution of ab colours over the bins, smoothed with a Gaussian of width
 * `sigma` over the ab plane (Zhang et al. 2016, §2.1: the prior p̃ of the class-rebalancing
 * weights). Estimate it on a sample of the training images.
 *
 * Shapes: images [N, H, W, 3] in [0, 1] → Float32Array of Q probabilities (sums to 1).
 *
 * @example const prior = estimateAbPrior(samplePhotos, abGamutBins());
 * @throws if the images are not RGB.
 */
export function estimateAbPrior(images: Tensor, bins: AbBins, sigma = 5): Float32Array {
  if (images.rank < 2 || images.shape[images.rank - 1] !== 3) {
    throw new Error(`estimateAbPrior: images must be RGB [..., 3]; got [${images.shape}]`);
  }
  const ab = tf.tidy(() => tf.slice(tf.reshape(rgbToLab(images), [-1, 3]), [0, 1], [-1, 2]) as Tensor2D);
  const counts = new Float64Array(bins.count);
  try {
    // In chunks: the distances to every bin are [pixels, Q] floats.
    const pixels = ab.shape[0];
    for (let start = 0; start < pixels; start += PIXELS_PER_CHUNK) {
      const size = Math.min(PIXELS_PER_CHUNK, pixels - start);
      const nearest = tf.tidy(() => nearestAbBin(tf.slice(ab, [start, 0], [size, 2]), bins).dataSync());
      for (const q of nearest) counts[q as number] = (counts[q as number] as number) + 1;
    }
  } finally {
    ab.dispose();
  }
  const smoothed = new Float64Array(bins.count);
  for (let q = 0; q < bins.count; q++) {
    for (let r = 0; r < bins.count; r++) {
      const da = (bins.centers[2 * q] as number) - (bins.centers[2 * r] as number);
      const db = (bins.centers[2 * q + 1] as number) - (bins.centers[2 * r + 1] as number);
      smoothed[q] =
        (smoothed[q] as number) + (counts[r] as number) * Math.exp(-(da * da + db * db) / (2 * sigma * sigma));
    }
  }
  const total = smoothed.reduce((sum, v) => sum + v, 0);
  return Float32Array.from(smoothed, (v) => v / total);
}

/**
 * Class-rebalancing weights (Zhang et al. 2016, eq. 3–4): w ∝ ((1 − λ)·p̃ + λ/Q)⁻¹, normalized so
 * that E_p̃[w] = 1. λ = 0.5 in the paper; λ = 1 gives uniform weights (no rebalancing). Rare,
 * saturated colours weigh more, so the network does not settle for desaturated browns and greys.
 *
 * Shapes: prior [Q] → weights [Q].
 *
 * @example const weights = rebalancingWeights(prior, 0.5);
 * @throws if λ is outside [0, 1] or the prior is not a distribution.
 */
export function rebalancingWeights(prior: ArrayLike<number>, lambda = 0.5): Float32Array {
  if (!(lambda >= 0 && lambda <= 1)) throw new Error(`rebalancingWeights: lambda must be in [0, 1]; got ${lambda}`);
  const q = prior.length;
  let sum = 0;
  for (let i = 0; i < q; i++) {
    const p = prior[i] as number;
    if (!(p >= 0)) throw new Error(`rebalancingWeights: prior[${i}] = ${p} is not a probability`);
    sum += p;
  }
  if (q === 0 || Math.abs(sum - 1) > 1e-3) {
    throw new Error(`rebalancingWeights: the prior must sum to 1 over its ${q} bins; it sums to ${sum}`);
  }
  const raw = Float64Array.from({ length: q }, (_, i) => 1 / ((1 - lambda) * (prior[i] as number) + lambda / q));
  let expectation = 0;
  for (let i = 0; i < q; i++) expectation += (prior[i] as number) * (raw[i] as number);
  return Float32Array.from(raw, (w) => w / expectation);
}
