import { assertNoTensorLeak, createRng, initBackend, type Rng, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Augmentation } from './augmentation.js';
import {
  adjustHue,
  colorJitter,
  denormalize,
  gaussianNoise,
  normalize,
  randomAutoContrast,
  randomGrayscale,
  randomPosterize,
  randomSolarize,
} from './color.js';
import { hsvToRgb, rgbToHsv } from './color-space.js';
import { compose, oneOf, randomApply } from './combinators.js';
import { blurWithSigmas, gaussianBlur } from './gaussian-blur.js';
import { centerCrop, horizontalFlip, randomRotation, randomTranslation, resize, verticalFlip } from './geometry.js';
import { twoViews } from './multi-view.js';
import { byolPreset, dinoMultiCrop, fashionMnistSimclrPreset, mocoV2Preset, simclrPreset } from './presets.js';
import { randomErasing } from './random-erasing.js';
import { randomResizedCrop, randomResizedCropBoxes } from './random-resized-crop.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

const batch = (n: number, h: number, w: number, c: 1 | 3, seed = 1) =>
  createRng(seed).uniformTensor([n, h, w, c]) as Tensor4D;
const values = (t: tf.Tensor) => Array.from(t.dataSync());
/** Per-sample, whether the output equals the input (exactly). */
function unchangedSamples(input: Tensor4D, output: Tensor4D): boolean[] {
  return tf.tidy(() => Array.from(tf.all(tf.equal(input, output), [1, 2, 3]).dataSync()).map(Boolean));
}
/** |observed − p| within 4 binomial standard deviations. */
function expectRate(observed: number, trials: number, p: number): void {
  expect(Math.abs(observed / trials - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / trials) + 1e-9);
}

describe('geometry', () => {
  it('random resized crop boxes follow torchvision: area within scale, ratio within range, inside the image', () => {
    const rng = createRng(3);
    const boxes = randomResizedCropBoxes(rng, 4000, 32, 40, {
      scale: [0.2, 0.9],
      ratio: [0.75, 4 / 3],
      flipProbability: 0.5,
    });
    let flipped = 0;
    for (const b of boxes) {
      const area = (b.height * b.width) / (32 * 40);
      // Rounding of integer sides moves the area a little past the range.
      expect(area).toBeGreaterThanOrEqual(0.2 * 0.9);
      expect(area).toBeLessThanOrEqual(0.9 * 1.1);
      expect(b.top).toBeGreaterThanOrEqual(0);
      expect(b.top + b.height).toBeLessThanOrEqual(32);
      expect(b.left + b.width).toBeLessThanOrEqual(40);
      if (b.flipped) flipped++;
    }
    expectRate(flipped, boxes.length, 0.5);
    // An impossible ratio range falls back to the central crop clipped to the ratio.
    const fallback = randomResizedCropBoxes(createRng(1), 1, 10, 40, { scale: [0.99, 1], ratio: [1, 1] })[0];
    expect(fallback).toMatchObject({ top: 0, height: 10, width: 10, left: 15 });
  });

  it('random resized crop produces the requested size, in range, deterministically, without leaking', async () => {
    const images = batch(8, 20, 24, 3);
    const crop = randomResizedCrop({ size: [12, 10], flipProbability: 0.5 });
    const out = crop(images, createRng(5));
    expect(out.shape).toEqual([8, 12, 10, 3]);
    expect(values(crop(images, createRng(5)))).toEqual(values(out));
    expect(values(crop(images, createRng(6)))).not.toEqual(values(out));
    expect(Math.min(...values(out))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values(out))).toBeLessThanOrEqual(1);
    await assertNoTensorLeak('randomResizedCrop', () => crop(images, createRng(5)));
    tf.dispose([images, out]);
  });

  it('a full-image crop is the identity, and its flipped box mirrors the image', () => {
    const images = batch(2, 6, 6, 1);
    const full = randomResizedCrop({ size: [6, 6], scale: [1, 1], ratio: [1, 1] })(images, createRng(1));
    expect(Math.max(...values(tf.abs(tf.sub(full, images))))).toBeLessThan(1e-5);
    const mirrored = randomResizedCrop({ size: [6, 6], scale: [1, 1], ratio: [1, 1], flipProbability: 1 })(
      images,
      createRng(1),
    );
    expect(Math.max(...values(tf.abs(tf.sub(mirrored, tf.reverse(images, 2)))))).toBeLessThan(1e-5);
    tf.dispose([images, full, mirrored]);
  });

  it('flips samples at rate p, and a flipped sample is exactly mirrored', () => {
    const images = batch(400, 4, 5, 1);
    for (const [op, axis] of [
      [horizontalFlip({ p: 0.3 }), 2],
      [verticalFlip({ p: 0.3 }), 1],
    ] as const) {
      const out = op(images, createRng(7));
      const mirrored = tf.reverse(images, axis) as Tensor4D;
      const same = unchangedSamples(images, out);
      const flippedRows = unchangedSamples(mirrored, out);
      expect(same.every((s, i) => s || flippedRows[i])).toBe(true);
      expectRate(same.filter((s) => !s).length, 400, 0.3);
      tf.dispose([out, mirrored]);
    }
    images.dispose();
  });

  it('rotation by ±90° matches rot90, translation shifts content, crops and resizes keep range', () => {
    const image = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const ccw = randomRotation({ degrees: [90, 90] })(image, createRng(1));
    // Counter-clockwise: [[1,2,3],[4,5,6],[7,8,9]] → [[3,6,9],[2,5,8],[1,4,7]].
    expect(values(ccw).map((v) => Math.round(v))).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
    // The center pixel moves by at most one pixel: it stays inside, whole.
    const shifted = randomTranslation({ fraction: [0.34, 0.34] })(
      tf.tensor4d([0, 0, 0, 0, 1, 0, 0, 0, 0], [1, 3, 3, 1]),
      createRng(4),
    );
    expect(values(shifted).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(centerCrop([2, 2])(image, createRng(0)).shape).toEqual([1, 2, 2, 1]);
    expect(values(centerCrop([1, 1])(image, createRng(0)))).toEqual([5]);
    expect(resize([6, 6])(image, createRng(0)).shape).toEqual([1, 6, 6, 1]);
    expect(() => centerCrop([4, 4])(image, createRng(0))).toThrow(
      'centerCrop: crop 4×4 is larger than the images (3×3)',
    );
    tf.dispose([image, ccw, shifted]);
  });
});

describe('color', () => {
  it('rgb → hsv → rgb is the identity; a hue shift of 0 is the identity', () => {
    const images = batch(4, 6, 6, 3);
    expect(Math.max(...values(tf.abs(tf.sub(hsvToRgb(rgbToHsv(images)), images))))).toBeLessThan(1e-5);
    expect(Math.max(...values(tf.abs(tf.sub(adjustHue(images, [0, 0, 0, 0]), images))))).toBeLessThan(1e-5);
    // A half-turn maps pure red to cyan.
    const red = tf.tensor4d([1, 0, 0], [1, 1, 1, 3]);
    expect(values(adjustHue(red, [0.5])).map((v) => Math.round(v * 1000) / 1000)).toEqual([0, 1, 1]);
    tf.dispose([images, red]);
  });

  it('the fused wasm hue kernel matches the composed HSV ops on cpu', async () => {
    const shifts = [-0.5, -0.2, 0, 0.13, 0.49];
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => values(adjustHue(createRng(5).uniformTensor([5, 7, 6, 3]) as Tensor4D, shifts)));
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(Math.max(...cpu.map((v, i) => Math.abs(v - (wasm[i] as number))))).toBeLessThan(1e-5);
  });

  it('brightness factors stay within their range (recovered per sample from a constant image)', () => {
    const gray = tf.fill([500, 2, 2, 1], 0.5) as Tensor4D;
    const out = colorJitter({ brightness: 0.4 })(gray, createRng(2));
    const factors = values(tf.mean(out, [1, 2, 3])).map((v) => v / 0.5);
    expect(Math.min(...factors)).toBeGreaterThanOrEqual(0.6 - 1e-5);
    expect(Math.max(...factors)).toBeLessThanOrEqual(1.4 + 1e-5);
    // Roughly uniform over [0.6, 1.4]: mean ≈ 1.
    expect(factors.reduce((a, b) => a + b, 0) / factors.length).toBeCloseTo(1, 1);
    tf.dispose([gray, out]);
  });

  it('color jitter applies with probability p, keeps range, and leaves 1-channel images gray-safe', async () => {
    const images = batch(300, 5, 5, 3);
    const jitter = colorJitter({ brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2, p: 0.6 });
    const out = jitter(images, createRng(8));
    expectRate(unchangedSamples(images, out).filter((s) => !s).length, 300, 0.6);
    expect(Math.min(...values(out))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values(out))).toBeLessThanOrEqual(1);
    expect(values(jitter(images, createRng(8)))).toEqual(values(out));
    const grayOut = jitter(batch(4, 5, 5, 1), createRng(1));
    expect(grayOut.shape).toEqual([4, 5, 5, 1]);
    await assertNoTensorLeak('colorJitter', () => jitter(images, createRng(9)));
    tf.dispose([images, out, grayOut]);
  });

  it('grayscale output has equal channels; solarize, posterize, autocontrast, noise behave', () => {
    const images = batch(200, 4, 4, 3);
    const gray = randomGrayscale({ p: 0.25 })(images, createRng(1));
    const changed = unchangedSamples(images, gray).map((s) => !s);
    expectRate(changed.filter(Boolean).length, 200, 0.25);
    const [r, g, b] = tf.split(gray, 3, 3);
    const equal = values(
      tf.all(
        tf.logicalAnd(tf.equal(r as tf.Tensor, g as tf.Tensor), tf.equal(g as tf.Tensor, b as tf.Tensor)),
        [1, 2, 3],
      ),
    );
    changed.forEach((c, i) => {
      if (c) expect(equal[i]).toBe(1);
    });
    const solarized = randomSolarize({ p: 1, threshold: 0.5 })(tf.tensor4d([0.2, 0.7], [1, 1, 2, 1]), createRng(0));
    expect(values(solarized).map((v) => Math.round(v * 10) / 10)).toEqual([0.2, 0.3]);
    const posterized = randomPosterize({ bits: 1, p: 1 })(tf.tensor4d([0.2, 0.7], [1, 1, 2, 1]), createRng(0));
    expect(values(posterized).map((v) => Math.round(v * 255))).toEqual([0, 128]);
    const stretched = randomAutoContrast({ p: 1 })(tf.tensor4d([0.4, 0.5, 0.6], [1, 1, 3, 1]), createRng(0));
    expect(values(stretched).map((v) => Math.round(v * 100) / 100)).toEqual([0, 0.5, 1]);
    const noisy = gaussianNoise({ std: 0.1 })(tf.fill([1, 50, 50, 1], 0.5) as Tensor4D, createRng(0));
    const { variance } = tf.moments(noisy);
    expect(Math.sqrt(variance.dataSync()[0] as number)).toBeCloseTo(0.1, 1);
    tf.dispose([images, gray, solarized, posterized, stretched, noisy, variance]);
  });

  it('normalize and denormalize are inverse', () => {
    const images = batch(2, 3, 3, 3);
    const stats = { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] };
    const back = denormalize(stats)(normalize(stats)(images, createRng(0)), createRng(0));
    expect(Math.max(...values(tf.abs(tf.sub(back, images))))).toBeLessThan(1e-5);
    expect(() => normalize({ mean: [0.5], std: [0.5] })(images, createRng(0))).toThrow(
      'normalize: needs 3 mean and std values; got 1 and 1',
    );
    tf.dispose([images, back]);
  });
});

describe('blur and erasing', () => {
  it('blur preserves the mean of a periodic-free image away from borders, and each sample gets its own σ', () => {
    const image = tf.tidy(() => tf.tile(tf.reshape(tf.linspace(0, 1, 16), [1, 1, 16, 1]), [2, 16, 1, 1])) as Tensor4D;
    const blurred = blurWithSigmas(image, 5, [0.5, 2]);
    // A linear ramp is preserved by a symmetric kernel away from the border.
    const inner = (t: tf.Tensor) => values(t.slice([0, 4, 4, 0], [2, 8, 8, 1]));
    const diff = inner(blurred).map((v, i) => Math.abs(v - (inner(image)[i] as number)));
    expect(Math.max(...diff)).toBeLessThan(1e-5);
    const noise = batch(2, 16, 16, 1);
    const smooth = blurWithSigmas(noise, 5, [0.2, 2]);
    const { variance } = tf.moments(smooth, [1, 2, 3]);
    const [v0, v1] = values(variance) as [number, number];
    expect(v1).toBeLessThan(v0); // larger σ smooths more
    expect(values(tf.mean(smooth))[0]).toBeCloseTo(values(tf.mean(noise))[0] as number, 1);
    const blur = gaussianBlur({ kernelSize: 3, p: 0.5 });
    expectRate(
      unchangedSamples(batch(200, 6, 6, 1), blur(batch(200, 6, 6, 1), createRng(3))).filter((s) => !s).length,
      200,
      0.5,
    );
    tf.dispose([image, blurred, noise, smooth, variance]);
  });

  it('random erasing blanks one rectangle per chosen sample', () => {
    const ones = tf.ones([300, 10, 10, 1]) as Tensor4D;
    const erased = randomErasing({ p: 0.5, scale: [0.1, 0.2] })(ones, createRng(4));
    const zeroFraction = values(tf.sub(1, tf.mean(erased, [1, 2, 3])));
    const chosen = zeroFraction.filter((z) => z > 0);
    expectRate(chosen.length, 300, 0.5);
    for (const z of chosen) expect(z).toBeLessThanOrEqual(0.25);
    tf.dispose([ones, erased]);
  });
});

describe('combinators, views and presets', () => {
  const brighten: Augmentation = (images) => tf.tidy(() => tf.minimum(tf.add(images, 0.1), 1) as Tensor4D);

  it('compose, randomApply and oneOf route samples as promised', () => {
    const images = tf.zeros([400, 2, 2, 1]) as Tensor4D;
    const twice = compose(brighten, brighten)(images, createRng(0));
    expect(values(twice)[0]).toBeCloseTo(0.2, 6);
    const some = randomApply(0.25, brighten)(images, createRng(1));
    expectRate(unchangedSamples(images, some).filter((s) => !s).length, 400, 0.25);
    const either = oneOf([brighten, compose(brighten, brighten)], [1, 3])(images, createRng(2));
    const means = values(tf.mean(either, [1, 2, 3]));
    expectRate(means.filter((m) => m > 0.15).length, 400, 0.75);
    expect(() => oneOf([])).toThrow(/at least one/);
    tf.dispose([images, twice, some, either]);
  });

  it('two views differ from each other and are reproducible per seed', () => {
    const images = batch(4, 16, 16, 3);
    const make = twoViews(simclrPreset({ size: [16, 16] }));
    const [a, b] = make(images, createRng(10)) as [Tensor4D, Tensor4D];
    const [a2] = make(images, createRng(10)) as [Tensor4D, Tensor4D];
    expect(values(a)).not.toEqual(values(b));
    expect(values(a2)).toEqual(values(a));
    tf.dispose([images, a, b, a2]);
  });

  it('every preset keeps range and size, and leaks nothing; DINO gives 2 global + N local views', async () => {
    const rgb = batch(6, 32, 32, 3);
    const gray = batch(6, 28, 28, 1);
    const check = async (name: string, make: (rng: Rng) => Tensor4D | Tensor4D[], shapes: number[][]) => {
      const out = make(createRng(1));
      const list = Array.isArray(out) ? out : [out];
      expect(list.map((t) => t.shape)).toEqual(shapes);
      for (const t of list) {
        expect(Math.min(...values(t))).toBeGreaterThanOrEqual(0);
        expect(Math.max(...values(t))).toBeLessThanOrEqual(1);
      }
      tf.dispose(list);
      await assertNoTensorLeak(name, () => make(createRng(2)));
    };
    await check('simclr rgb', (rng) => simclrPreset({ size: [24, 24], blur: true })(rgb, rng), [[6, 24, 24, 3]]);
    await check('simclr gray', (rng) => simclrPreset({ size: [28, 28], channels: 1 })(gray, rng), [[6, 28, 28, 1]]);
    await check('fashion-mnist', (rng) => fashionMnistSimclrPreset()(gray, rng), [[6, 28, 28, 1]]);
    await check('byol', (rng) => byolPreset({ size: [24, 24] })(rgb, rng), [
      [6, 24, 24, 3],
      [6, 24, 24, 3],
    ]);
    await check('moco v2', (rng) => mocoV2Preset({ size: [24, 24] })(rgb, rng), [[6, 24, 24, 3]]);
    await check(
      'dino',
      (rng) => dinoMultiCrop({ globalSize: [24, 24], localSize: [12, 12], localCrops: 3 })(rgb, rng),
      [
        [6, 24, 24, 3],
        [6, 24, 24, 3],
        [6, 12, 12, 3],
        [6, 12, 12, 3],
        [6, 12, 12, 3],
      ],
    );
    tf.dispose([rgb, gray]);
  });

  it('gives the same batch on cpu and wasm for the same seed', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() =>
        values(
          simclrPreset({ size: [12, 12], blur: true })(
            createRng(3).uniformTensor([3, 16, 16, 3]) as Tensor4D,
            createRng(4),
          ),
        ),
      );
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(Math.max(...cpu.map((v, i) => Math.abs(v - (wasm[i] as number))))).toBeLessThan(1e-4);
  });

  it('rejects bad options and inputs with clear messages', () => {
    expect(() => randomResizedCrop({ size: [8, 8], scale: [0.9, 0.1] })).toThrow(
      'randomResizedCrop: scale must be [low, high] with 0 ≤ low ≤ high; got [0.9,0.1]',
    );
    expect(() => horizontalFlip({ p: 2 })).toThrow('horizontalFlip: p must be a probability in [0, 1]; got 2');
    expect(() => gaussianBlur({ kernelSize: 4 })).toThrow(/odd positive integer/);
    expect(() => colorJitter({ hue: 0.7 })).toThrow(/hue in \[0, 0.5\]/);
    expect(() => horizontalFlip()(tf.zeros([2, 2, 2, 2]) as Tensor4D, createRng(0))).toThrow(
      'horizontalFlip: images must have 1 or 3 channels; got 2',
    );
  });
});
