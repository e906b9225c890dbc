import { assertNoTensorLeak, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { adjustHue } from './adjust-hue.js';
import { maxAbsDiff, randomBatch, values } from './test-helpers.js';
import { adjustHueImage } from './test-torchvision-reference.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('adjustHue', () => {
  it('matches torchvision adjust_hue per sample', () => {
    const images = randomBatch(6, 5, 4, 3, 7);
    const shifts = [-0.5, -0.23, 0, 0.01, 0.2, 0.5];
    const out = values(adjustHue(images, shifts));
    const data = values(images);
    const per = 5 * 4 * 3;
    const expected = shifts.flatMap((shift, n) => adjustHueImage(data.slice(n * per, (n + 1) * per), shift));
    expect(Math.max(...out.map((v, i) => Math.abs(v - (expected[i] as number))))).toBeLessThan(1e-5);
    images.dispose();
  });

  it('a shift of 0 is the identity; ±0.5 maps red to cyan; 1-channel images are unchanged', async () => {
    const images = randomBatch(3, 6, 6, 3);
    const same = adjustHue(images, [0, 0, 0]);
    expect(maxAbsDiff(same, images)).toBeLessThan(1e-6);
    const red = tf.tensor4d([1, 0, 0, 1, 0, 0], [2, 1, 1, 3]);
    expect(values(adjustHue(red, [0.5, -0.5])).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([0, 1, 1, 0, 1, 1]);
    const gray = randomBatch(2, 3, 3, 1);
    expect(values(adjustHue(gray, [0.3, -0.3]))).toEqual(values(gray));
    expect(() => adjustHue(images, [0.6, 0, 0])).toThrow(/one shift in \[−0.5, 0.5\] per sample \(3\)/);
    await assertNoTensorLeak('adjustHue', () => adjustHue(images, [0.1, 0.2, -0.3]));
    tf.dispose([images, same, red, gray]);
  });
});
