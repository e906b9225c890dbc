import { type Rng, type Tensor4D, tf } from '@selfsup/backend';

/**
 * Ways to take away the colour cue a patch-position network can cheat with: lenses shift colour
 * channels by an amount that depends on where in the frame a patch lies (chromatic aberration),
 * so the network can tell positions from colour fringes instead of content (Doersch, Gupta &
 * Efros 2015, §4.2).
 *
 * - `channel-dropping`: keep one random channel per patch, replace the other two with Gaussian
 *   noise of 1/100 the kept channel's standard deviation (the paper's "color dropping");
 * - `projection`: project out the green–magenta axis, [−1, 2, −1]/√6, that carries most of the
 *   aberration (the paper's "projection");
 * - `grayscale`: ITU-R 601 luma in all three channels;
 * - `none`.
 */
export type ChromaticAberrationDefence = 'channel-dropping' | 'projection' | 'grayscale' | 'none';

export const CHROMATIC_ABERRATION_DEFENCES: readonly ChromaticAberrationDefence[] = [
  'channel-dropping',
  'projection',
  'grayscale',
  'none',
];

const GREEN_MAGENTA = [-1 / Math.sqrt(6), 2 / Math.sqrt(6), -1 / Math.sqrt(6)];
const LUMA = [0.299, 0.587, 0.114];

/**
 * Applies a {@link ChromaticAberrationDefence} to every patch of a batch; single-channel patches
 * come back unchanged (as a copy). Random choices come from `rng`.
 *
 * Shapes: [N, H, W, C] → [N, H, W, C].
 *
 * @example const defended = defendChromaticAberration(patches, 'channel-dropping', rng);
 * @throws for an unknown defence or a patch with 2 or more than 3 channels.
 */
export function defendChromaticAberration(patches: Tensor4D, defence: ChromaticAberrationDefence, rng: Rng): Tensor4D {
  if (!CHROMATIC_ABERRATION_DEFENCES.includes(defence)) {
    throw new Error(
      `defendChromaticAberration: '${defence}' is not a defence; known: ${CHROMATIC_ABERRATION_DEFENCES.join(', ')}`,
    );
  }
  const [count, height, width, channels] = patches.shape;
  if (channels === 1 || defence === 'none') return tf.clone(patches);
  if (channels !== 3) {
    throw new Error(`defendChromaticAberration: patches must have 1 or 3 channels; got [${patches.shape}]`);
  }
  return tf.tidy(() => {
    switch (defence) {
      case 'grayscale':
        return tf.tile(tf.sum(tf.mul(patches, LUMA), 3, true), [1, 1, 1, 3]) as Tensor4D;
      case 'projection': {
        const along = tf.sum(tf.mul(patches, GREEN_MAGENTA), 3, true);
        return tf.sub(patches, tf.mul(along, GREEN_MAGENTA)) as Tensor4D;
      }
      default: {
        const kept = Array.from({ length: count }, () => rng.int(3));
        const keep = tf.reshape(tf.oneHot(tf.tensor1d(kept, 'int32'), 3), [count, 1, 1, 3]);
        const keptChannel = tf.sum(tf.mul(patches, keep), 3, true);
        const { variance } = tf.moments(keptChannel, [1, 2, 3], true);
        const noise = tf.mul(rng.normalTensor([count, height, width, 3]), tf.div(tf.sqrt(variance), 100));
        return tf.add(tf.mul(patches, keep), tf.mul(noise, tf.sub(1, keep))) as Tensor4D;
      }
    }
  });
}
