import { type Tensor3D, type Tensor4D, tf } from '@selfsup/backend';
import { labToRgb, rgbToLab } from './lab.js';

/**
 * A preview grid of a colorization model: one row per image — the lightness the network saw
 * (grey), the colours it predicted, the original — as one RGB image to write with `writePng`
 * from `@selfsup/augment`.
 *
 * Shapes: originals and predicted [N, H, W, 3] → [N·H, 3·W, 3] in [0, 1].
 *
 * @example
 * const predicted = task.colorize(batch.inputs, task.decodeAb(outputs, batch.inputs.shape));
 * await writePng(colorizationPreview(photos, predicted), 'out/colorization.png');
 * @throws if the two batches differ in shape or are not RGB.
 */
export function colorizationPreview(originals: Tensor4D, predicted: Tensor4D): Tensor3D {
  if (originals.shape.join() !== predicted.shape.join() || originals.shape[3] !== 3) {
    throw new Error(
      `colorizationPreview: originals and predicted must be RGB batches of one shape; got [${originals.shape}] and [${predicted.shape}]`,
    );
  }
  const [count, height, width] = originals.shape;
  return tf.tidy(() => {
    const lab = rgbToLab(originals);
    const grey = labToRgb(
      tf.concat(
        [tf.slice(lab, [0, 0, 0, 0], [-1, -1, -1, 1]), tf.zerosLike(tf.slice(lab, [0, 0, 0, 1], [-1, -1, -1, 2]))],
        -1,
      ),
    );
    const rows = tf.concat([grey, predicted, originals], 2);
    return tf.reshape(rows, [count * height, 3 * width, 3]) as Tensor3D;
  });
}
