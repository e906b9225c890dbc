import { type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { rgbToLabValues } from './lab.js';

/** The quantized ab colour space: Q bins on a grid of `binSize`, those the sRGB gamut reaches. */
export interface AbBins {
  binSize: number;
  /** Bin centres, Q × [a, b], multiples of `binSize`. */
  centers: Float32Array;
  /** Q. */
  count: number;
}

/**
 * The ab bins of Zhang, Isola & Efros (2016, arXiv:1603.08511, §2.1): the ab plane cut into
 * squares of side `binSize` (10 in the paper) centred on multiples of `binSize`, keeping those
 * that some sRGB colour falls in (313 in the paper, from its gamut estimate; here: every colour
 * of a 64-level-per-channel sRGB grid, converted as `rgbToLab` does, on plain numbers: no
 * tensors, no backend). Deterministic.
 *
 * @example const bins = abGamutBins(10); // bins.count ≈ 260–320
 * @throws if `binSize` is not positive.
 */
export function abGamutBins(binSize = 10): AbBins {
  if (!(binSize > 0)) throw new Error(`abGamutBins: binSize must be positive; got ${binSize}`);
  const known = gamutBinsBySize.get(binSize);
  if (known !== undefined) return { binSize, centers: known.centers.slice(), count: known.count };
  const levels = 64;
  const colours = new Float32Array(levels ** 3 * 3);
  let write = 0;
  for (let r = 0; r < levels; r++)
    for (let g = 0; g < levels; g++)
      for (let b = 0; b < levels; b++) {
        colours[write++] = r / (levels - 1);
        colours[write++] = g / (levels - 1);
        colours[write++] = b / (levels - 1);
      }
  const lab = rgbToLabValues(colours);
  const occupied = new Set<string>();
  const keys: Array<[number, number]> = [];
  for (let i = 0; i < levels ** 3; i++) {
    const a = Math.round((lab[i * 3 + 1] as number) / binSize);
    const b = Math.round((lab[i * 3 + 2] as number) / binSize);
    const key = `${a},${b}`;
    if (!occupied.has(key)) {
      occupied.add(key);
      keys.push([a, b]);
    }
  }
  keys.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const centers = new Float32Array(keys.length * 2);
  keys.forEach(([a, b], q) => {
    centers[2 * q] = a * binSize;
    centers[2 * q + 1] = b * binSize;
  });
  gamutBinsBySize.set(binSize, { binSize, centers, count: keys.length });
  return { binSize, centers: centers.slice(), count: keys.length };
}

/** The gamut scan is a pure function of the bin size: done once per size. */
const gamutBinsBySize = new Map<number, AbBins>();

/** Squared distances [M, Q] between ab values [M, 2] and the bin centres. */
function squaredDistances(ab: Tensor2D, bins: AbBins): Tensor2D {
  return tf.tidy(() => {
    const centers = tf.tensor2d(bins.centers, [bins.count, 2]);
    const cross = tf.matMul(ab, centers, false, true);
    return tf.maximum(
      tf.add(tf.sub(tf.sum(tf.square(ab), 1, true), tf.mul(cross, 2)), tf.sum(tf.square(centers), 1)),
      0,
    ) as Tensor2D;
  });
}

/**
 * Soft-encodes ab values over the bins (Zhang et al. 2016, §2.1): each value spreads over its
 * `neighbours` nearest bin centres with Gaussian weights of width `sigma`, normalized to sum to 1.
 *
 * Shapes: ab [M, 2] → [M, Q].
 *
 * @example const targets = softEncodeAb(ab, bins); // rows sum to 1, 5 non-zeros each
 */
export function softEncodeAb(ab: Tensor2D, bins: AbBins, neighbours = 5, sigma = 5): Tensor2D {
  const k = Math.min(neighbours, bins.count);
  return tf.tidy(() => {
    const { values, indices } = tf.topk(tf.neg(squaredDistances(ab, bins)), k);
    const weights = tf.exp(tf.div(values, 2 * sigma * sigma));
    const normalized = tf.div(weights, tf.sum(weights, 1, true));
    return tf.sum(tf.mul(tf.oneHot(indices, bins.count), tf.expandDims(normalized, 2)), 1) as Tensor2D;
  });
}

/** The index of the nearest bin of each ab value: [M, 2] → [M] int32. */
export function nearestAbBin(ab: Tensor2D, bins: AbBins): Tensor {
  return tf.tidy(() => tf.argMin(squaredDistances(ab, bins), 1));
}

/**
 * Point estimate of ab from a distribution over the bins: the annealed mean (Zhang et al. 2016,
 * §2.2), softmax(logits / T) · centres — T = 1 is the mean, T → 0 the mode; the paper uses 0.38.
 *
 * Shapes: logits [..., Q] → ab [..., 2].
 *
 * @example const ab = annealedMeanAb(logits, bins, 0.38);
 */
export function annealedMeanAb(logits: Tensor, bins: AbBins, temperature = 0.38): Tensor {
  if (logits.shape[logits.rank - 1] !== bins.count) {
    throw new Error(`annealedMeanAb: logits must end in ${bins.count} bins; got [${logits.shape}]`);
  }
  return tf.tidy(() => {
    const flat = tf.reshape(logits, [-1, bins.count]);
    const probabilities = tf.softmax(tf.div(flat, temperature));
    const ab = tf.matMul(probabilities, tf.tensor2d(bins.centers, [bins.count, 2]));
    return tf.reshape(ab, [...logits.shape.slice(0, -1), 2]);
  });
}
