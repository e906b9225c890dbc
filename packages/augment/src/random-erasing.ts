import { type Tensor4D, tf } from '@selfsup/backend';
import { type Augmentation, expectImageBatch, expectProbability, expectRange } from './augmentation.js';

export interface RandomErasingOptions {
  /** Probability of erasing a rectangle in a sample (default 0.5). */
  p?: number;
  /** Erased area fraction range (default [0.02, 0.33], Zhong et al.'s). */
  scale?: [number, number];
  /** Aspect ratio range (default [0.3, 3.3]), log-uniform. */
  ratio?: [number, number];
  /** Fill value (default 0). */
  value?: number;
}

/**
 * Random erasing / cutout (Zhong et al. 2020, arXiv:1708.04896; torchvision's RandomErasing): per
 * sample, with probability p, a rectangle of random area and aspect ratio (up to 10 tries) set to
 * `value`.
 */
export function randomErasing(options: RandomErasingOptions = {}): Augmentation {
  const p = options.p ?? 0.5;
  const scale = options.scale ?? [0.02, 0.33];
  const ratio = options.ratio ?? [0.3, 3.3];
  expectProbability('randomErasing', 'p', p);
  expectRange('randomErasing', 'scale', scale, 0);
  expectRange('randomErasing', 'ratio', ratio, Number.MIN_VALUE);
  return (images, rng) => {
    expectImageBatch('randomErasing', images);
    const [count, height, width] = images.shape;
    const mask = new Uint8Array(count * height * width);
    for (let n = 0; n < count; n++) {
      if (!rng.bernoulli(p)) continue;
      for (let attempt = 0; attempt < 10; attempt++) {
        const area = height * width * rng.uniform(scale[0], scale[1]);
        const aspect = Math.exp(rng.uniform(Math.log(ratio[0]), Math.log(ratio[1])));
        const h = Math.round(Math.sqrt(area * aspect));
        const w = Math.round(Math.sqrt(area / aspect));
        if (h < height && w < width && h > 0 && w > 0) {
          const top = rng.int(height - h + 1);
          const left = rng.int(width - w + 1);
          for (let y = top; y < top + h; y++)
            mask.fill(1, (n * height + y) * width + left, (n * height + y) * width + left + w);
          break;
        }
      }
    }
    return tf.tidy(
      () =>
        tf.where(
          tf.tensor4d(mask, [count, height, width, 1], 'bool'),
          tf.fill(images.shape, options.value ?? 0),
          images,
        ) as Tensor4D,
    );
  };
}
