// A selfsup plugin in one file: a new pretext task and the plugin that registers it.
//   selfsup pretrain --plugin ./src/quadrant-order-plugin.ts --task quadrant-order --data ./my-images
import { type Scalar, type Tensor, type Tensor1D, type Tensor4D, tf } from '@selfsup/backend';
import type { SelfsupPlugin } from '@selfsup/cli';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';

export interface QuadrantOrderTaskOptions {
  /** How many of the 24 orders of the 4 quadrants to use (the first ones, identity first). */
  orders: number;
}

/** The 24 permutations of [0, 1, 2, 3] in lexicographic order. */
export const QUADRANT_ORDERS: readonly (readonly number[])[] = (() => {
  const orders: number[][] = [];
  const build = (prefix: number[]) => {
    if (prefix.length === 4) orders.push(prefix);
    for (let q = 0; q < 4; q++) if (!prefix.includes(q)) build([...prefix, q]);
  };
  build([]);
  return orders;
})();

/**
 * Rearranges the quadrants of each image: output quadrant k (top-left, top-right, bottom-left,
 * bottom-right) of image i is input quadrant `orders[i][k]`. [N, S, S, C] → [N, S, S, C].
 */
export function rearrangeQuadrants(images: Tensor4D, orders: readonly (readonly number[])[]): Tensor4D {
  const [count, height, width, channels] = images.shape;
  if (height % 2 !== 0 || width % 2 !== 0) {
    throw new Error(`quadrant-order: images need an even height and width; got ${height}×${width}`);
  }
  const h = height / 2;
  const w = width / 2;
  return tf.tidy(() => {
    // [4N, h, w, C]: all top-left quadrants, then top-right, bottom-left, bottom-right.
    const quadrants = tf.concat([
      tf.slice(images, [0, 0, 0, 0], [count, h, w, channels]),
      tf.slice(images, [0, 0, w, 0], [count, h, w, channels]),
      tf.slice(images, [0, h, 0, 0], [count, h, w, channels]),
      tf.slice(images, [0, h, w, 0], [count, h, w, channels]),
    ]);
    const at = (k: number) =>
      tf.gather(
        quadrants,
        tf.tensor1d(
          orders.map((order, i) => (order[k] as number) * count + i),
          'int32',
        ),
      );
    const top = tf.concat([at(0), at(1)], 2);
    const bottom = tf.concat([at(2), at(3)], 2);
    return tf.concat([top, bottom], 1) as Tensor4D;
  });
}

/**
 * Quadrant order prediction, a 2×2 jigsaw on whole images (after Noroozi & Favaro 2016,
 * arXiv:1603.09246, with the image reassembled instead of tiles): each image's quadrants are put
 * in one of `orders` orders, drawn per image from the seeded rng, and a linear head on the
 * encoder's features classifies which order it was.
 *
 * @example const task = quadrantOrderTask({ orders: 24 }); // inputs [N, S, S, C], targets [N]
 * @throws if `orders` is not an integer in 2…24; from makeBatch for images of odd size.
 */
export function quadrantOrderTask(
  options: Partial<QuadrantOrderTaskOptions> = {},
): PretextTask<QuadrantOrderTaskOptions, Tensor4D> {
  const orders = options.orders ?? 24;
  if (!Number.isInteger(orders) || orders < 2 || orders > 24) {
    throw new Error(`quadrant-order: orders must be an integer from 2 to 24, got ${orders}`);
  }
  return {
    id: 'quadrant-order',
    modality: 'image',
    options: { orders },
    head: { kind: 'linear', outputSize: orders },
    makeBatch(images: Tensor4D, { rng }): TaskBatch {
      const labels = Array.from({ length: images.shape[0] }, () => rng.int(orders));
      return {
        inputs: rearrangeQuadrants(
          images,
          labels.map((label) => QUADRANT_ORDERS[label] as number[]),
        ),
        targets: tf.tensor1d(labels, 'int32'),
      };
    },
    loss(outputs: Tensor, batch: TaskBatch): Scalar {
      return tf.tidy(
        () => tf.losses.softmaxCrossEntropy(tf.oneHot(batch.targets as Tensor1D, orders), outputs) as Scalar,
      );
    },
    metrics(outputs: Tensor, batch: TaskBatch) {
      // A one-value tensor: the trainer reads every metric of the step in one asynchronous readback.
      return {
        quadrantOrderAccuracy: tf.tidy(
          () => tf.mean(tf.cast(tf.equal(tf.argMax(outputs, 1), batch.targets), 'float32')) as Scalar,
        ),
      };
    },
  };
}

/** The plugin: registers the task in the CLI's task registry, beside the built-in ones. */
export default {
  name: 'quadrant-order',
  register({ tasks }) {
    tasks.register({ 'quadrant-order': quadrantOrderTask });
  },
} satisfies SelfsupPlugin;
