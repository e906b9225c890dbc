import { type Rng, type Tensor4D, tf } from '@selfsup/backend';
import type { Augmentation } from './augmentation.js';
import { roundHalfEven } from './per-sample.js';
import { RANDOM_ERASING_DEFAULTS } from './random-erasing-declaration.js';
import { expectImageBatch, expectProbability, expectRange } from './validation.js';

/** Options of {@link randomErasing} (torchvision's `RandomErasing` names and defaults). */
export interface RandomErasingOptions {
  /** Probability of erasing a rectangle in a sample (default: {@link RANDOM_ERASING_DEFAULTS}). */
  p?: number;
  /** Range of the erased area as a fraction of the image (default: {@link RANDOM_ERASING_DEFAULTS}). */
  scale?: [number, number];
  /** Range of the aspect ratio h/w of the rectangle, sampled log-uniformly (default: {@link RANDOM_ERASING_DEFAULTS}). */
  ratio?: [number, number];
  /** Fill: a value in [0, 1] (default: {@link RANDOM_ERASING_DEFAULTS}), or `'random'` for per-pixel N(0, 1) noise as torchvision's. */
  value?: number | 'random';
}

/** One erased rectangle in pixels (`undefined` entries in {@link randomErasingBoxes} erase nothing). */
export interface ErasingBox {
  top: number;
  left: number;
  height: number;
  width: number;
}

/**
 * Draws the rectangles of {@link randomErasing} exactly as torchvision's `RandomErasing.get_params`:
 * per sample one apply draw; if applied, up to 10 tries of an area `U(scale)·H·W` and a ratio
 * `exp(U(log ratio))` with `h = round(√(area·ratio))`, `w = round(√(area/ratio))`, accepted when
 * `h < H` and `w < W`, at a uniform position; no rectangle when every try fails.
 *
 * @example const boxes = randomErasingBoxes(createRng(0), 8, 32, 32, { p: 0.5 });
 * @throws if the options are malformed.
 */
export function randomErasingBoxes(
  rng: Rng,
  count: number,
  height: number,
  width: number,
  options: Omit<RandomErasingOptions, 'value'> = {},
): Array<ErasingBox | undefined> {
  const { p, scale, ratio } = resolve(options);
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])] as const;
  return Array.from({ length: count }, () => {
    if (!rng.bernoulli(p)) return undefined;
    for (let attempt = 0; attempt < 10; attempt++) {
      const area = height * width * rng.uniform(scale[0], scale[1]);
      const aspect = Math.exp(rng.uniform(logRatio[0], logRatio[1]));
      const h = roundHalfEven(Math.sqrt(area * aspect));
      const w = roundHalfEven(Math.sqrt(area / aspect));
      if (h < height && w < width)
        return { top: rng.int(height - h + 1), left: rng.int(width - w + 1), height: h, width: w };
    }
    return undefined;
  });
}

function resolve(options: Omit<RandomErasingOptions, 'value'>) {
  const p = options.p ?? RANDOM_ERASING_DEFAULTS.p;
  const scale = options.scale ?? RANDOM_ERASING_DEFAULTS.scale;
  const ratio = options.ratio ?? RANDOM_ERASING_DEFAULTS.ratio;
  expectProbability('randomErasing', 'p', p);
  expectRange('randomErasing', 'scale', scale, 0, 1);
  expectRange('randomErasing', 'ratio', ratio, Number.MIN_VALUE);
  return { p, scale, ratio };
}

/**
 * Random erasing / cutout (Zhong et al. 2020, arXiv:1708.04896; DeVries & Taylor 2017,
 * arXiv:1708.04552; torchvision's `RandomErasing`): per sample, with probability p, one rectangle
 * of random area and aspect ratio is set to `value` (all channels). Boxes as
 * {@link randomErasingBoxes}; applied to the batch as one mask blend.
 *
 * Shapes: `[N, H, W, C]` → `[N, H, W, C]`. With `value: 'random'` the output leaves [0, 1], as
 * torchvision's (meant for normalized inputs).
 *
 * @example const out = randomErasing({ p: 0.5, scale: [0.02, 0.33] })(images, rng);
 * @throws if p, scale, ratio or value are malformed.
 */
export function randomErasing(options: RandomErasingOptions = {}): Augmentation {
  resolve(options);
  const value = options.value ?? RANDOM_ERASING_DEFAULTS.value;
  if (value !== 'random' && !Number.isFinite(value)) {
    throw new Error(`randomErasing: value must be a number or 'random'; got ${value}`);
  }
  return (images, rng) => {
    expectImageBatch('randomErasing', images);
    const [count, height, width, channels] = images.shape;
    const boxes = randomErasingBoxes(rng, count, height, width, options);
    if (boxes.every((box) => box === undefined || box.height === 0 || box.width === 0)) return tf.clone(images);
    const mask = new Float32Array(count * height * width * channels);
    boxes.forEach((box, n) => {
      if (box === undefined) return;
      for (let y = box.top; y < box.top + box.height; y++) {
        const start = ((n * height + y) * width + box.left) * channels;
        mask.fill(1, start, start + box.width * channels);
      }
    });
    return tf.tidy(() => {
      const erase = tf.tensor4d(mask, images.shape, 'float32');
      const fill = value === 'random' ? rng.normalTensor(images.shape) : tf.scalar(value);
      return tf.add(tf.mul(images, tf.sub(1, erase)), tf.mul(fill, erase)) as Tensor4D;
    });
  };
}
