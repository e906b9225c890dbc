import { createRng, type Tensor, type Tensor3D, type Tensor4D, tf } from '@selfsup/backend';
import type { ColorizationTask } from './colorization-task.js';
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

/**
 * The preview grid of a colorization model on `originals` (see {@link colorizationPreview}): the
 * task makes the lightness the model sees, `predict` maps it to outputs (the head over the
 * encoder's features), the task decodes them to colours. Each pixel is enlarged `scale`× (nearest
 * neighbour) so small patches can be seen.
 *
 * Shapes: originals [N, H, W, 3] in [0, 1]; `predict`: lightness [N, H, W, 1] → outputs
 * [N, h·w·K]; returns [N·H·scale, 3·W·scale, 3].
 *
 * @example
 * const mode = { training: false };
 * const grid = colorizationPreviewOf(task, (l) => head.apply(encoder.apply(l, mode), mode), heldOut, { scale: 4 });
 * await writePng(grid, 'out/colorization.png');
 * @throws if the originals are not RGB, or from `predict`.
 */
export function colorizationPreviewOf(
  task: ColorizationTask,
  predict: (lightness: Tensor4D) => Tensor,
  originals: Tensor4D,
  options: { scale?: number } = {},
): Tensor3D {
  const scale = options.scale ?? 1;
  return tf.tidy(() => {
    const batch = task.makeBatch(originals, { rng: createRng(0), training: false });
    const predicted = task.colorize(batch.inputs, task.decodeAb(predict(batch.inputs), originals.shape));
    const grid = colorizationPreview(originals, predicted);
    if (scale === 1) return grid;
    const [height, width] = grid.shape;
    return tf.image.resizeNearestNeighbor(grid, [height * scale, width * scale]) as Tensor3D;
  });
}
