import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { colorJitter, colorJitterParams } from './color-jitter.js';
import { expectAugmentationContract, expectRate, randomBatch, unchangedSamples, values } from './test-helpers.js';
import { adjustHueImage, adjustImage } from './test-torchvision-reference.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

const simclr = { brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2, p: 0.8 };

/** torchvision's ColorJitter applied sample by sample, in each sample's own drawn order. */
function reference(images: Tensor4D, seed: number, options: typeof simclr): number[] {
  const [n, h, w, c] = images.shape;
  const params = colorJitterParams(createRng(seed), n, c, options);
  const per = h * w * c;
  const data = values(images);
  return params.flatMap((sample, i) => {
    let image = data.slice(i * per, (i + 1) * per);
    if (!sample.applied) return image;
    for (const op of sample.order) {
      image = op === 'hue' ? adjustHueImage(image, sample.hue) : adjustImage(image, c, op, sample[op]);
    }
    return image;
  });
}

describe('colorJitter', () => {
  it('gives every sample exactly torchvision ColorJitter in its own random order (RGB)', () => {
    const images = randomBatch(64, 5, 4, 3, 3);
    for (const seed of [1, 2]) {
      const out = values(colorJitter(simclr)(images, createRng(seed)));
      const expected = reference(images, seed, simclr);
      expect(Math.max(...out.map((v, i) => Math.abs(v - (expected[i] as number))))).toBeLessThan(2e-5);
    }
    images.dispose();
  });

  it('draws a random order per sample (all 24 permutations occur) and applies with probability p', () => {
    const params = colorJitterParams(createRng(5), 3000, 3, simclr);
    expect(new Set(params.map((p) => p.order.join())).size).toBe(24);
    expectRate(params.filter((p) => p.applied).length, 3000, 0.8);
    for (const p of params) {
      expect(p.brightness).toBeGreaterThanOrEqual(0.2);
      expect(p.brightness).toBeLessThanOrEqual(1.8);
      expect(Math.abs(p.hue)).toBeLessThanOrEqual(0.2);
    }
    const fixed = colorJitterParams(createRng(5), 10, 3, { ...simclr, randomOrder: false });
    expect(fixed.every((p) => p.order.join() === 'brightness,contrast,saturation,hue')).toBe(true);
  });

  it('keeps brightness factors within [1 − b, 1 + b] (recovered from constant images), uniformly', () => {
    const gray = tf.fill([600, 2, 2, 1], 0.5) as Tensor4D;
    const out = colorJitter({ brightness: 0.4 })(gray, createRng(2));
    const factors = values(tf.mean(out, [1, 2, 3])).map((v) => v / 0.5);
    expect(Math.min(...factors)).toBeGreaterThanOrEqual(0.6 - 1e-6);
    expect(Math.max(...factors)).toBeLessThanOrEqual(1.4 + 1e-6);
    const mean = factors.reduce((a, b) => a + b, 0) / factors.length;
    expect(Math.abs(mean - 1)).toBeLessThan((4 * (0.8 / Math.sqrt(12))) / Math.sqrt(600));
    tf.dispose([gray, out]);
  });

  it('jitters samples at rate p over many seeds', () => {
    const images = randomBatch(100, 3, 3, 3);
    let changed = 0;
    for (let seed = 0; seed < 4; seed++) {
      const out = colorJitter({ ...simclr, p: 0.6 })(images, createRng(seed));
      changed += unchangedSamples(images, out).filter((s) => !s).length;
      out.dispose();
    }
    expectRate(changed, 400, 0.6);
    images.dispose();
  });

  it('is grayscale-safe: 1-channel images get brightness and contrast only, matching torchvision', () => {
    const images = randomBatch(40, 4, 4, 1, 9);
    const out = values(colorJitter(simclr)(images, createRng(4)));
    const expected = reference(images, 4, simclr);
    expect(Math.max(...out.map((v, i) => Math.abs(v - (expected[i] as number))))).toBeLessThan(1e-5);
    expect(colorJitterParams(createRng(4), 5, 1, simclr).every((p) => !p.order.includes('hue'))).toBe(true);
    images.dispose();
  });

  it('keeps the contract and rejects bad options', async () => {
    const rgb = randomBatch(8, 6, 5, 3);
    const gray = randomBatch(8, 6, 5, 1);
    await expectAugmentationContract('colorJitter rgb', colorJitter(simclr), rgb, [8, 6, 5, 3]);
    await expectAugmentationContract('colorJitter gray', colorJitter(simclr), gray, [8, 6, 5, 1]);
    expect(() => colorJitter({ hue: 0.7 })).toThrow(/hue in \[0, 0.5\]/);
    expect(() => colorJitter({ brightness: -1 })).toThrow(/must be ≥ 0/);
    expect(() => colorJitter({ p: 1.5 })).toThrow(/p must be a probability/);
    expect(() => colorJitter(simclr)(tf.zeros([1, 2, 2, 2]) as Tensor4D, createRng(0))).toThrow(
      'colorJitter: images must have 1 (grayscale) or 3 (RGB) channels; got 2',
    );
    tf.dispose([rgb, gray]);
  });
});
