import { assertNoTensorLeak, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { hsvToRgb } from './hsv-to-rgb.js';
import { rgbToHsv } from './rgb-to-hsv.js';
import { maxAbsDiff, randomBatch, values } from './test-helpers.js';
import { hsvToRgbPixel, rgbToHsvPixel } from './test-torchvision-reference.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

/** Random pixels plus the hard cases: gray, black, white, ties between channels, primaries. */
function testPixels() {
  const special = [
    [0, 0, 0],
    [1, 1, 1],
    [0.5, 0.5, 0.5],
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [1, 1, 0],
    [0, 1, 1],
    [1, 0, 1],
    [0.3, 0.7, 0.7],
    [0.7, 0.7, 0.3],
    [0.7, 0.3, 0.7],
    [0.2, 0.2, 0.9],
  ].flat();
  const random = randomBatch(1, 10, 10, 3, 3);
  const all = tf.concat([tf.reshape(random, [-1]), tf.tensor1d(special)]);
  const count = all.shape[0] / 3;
  const images = tf.reshape(all, [1, 1, count, 3]) as tf.Tensor4D;
  tf.dispose([random, all]);
  return images;
}

describe('rgbToHsv and hsvToRgb', () => {
  it('match torchvision _rgb2hsv / _hsv2rgb, including gray pixels and ties', () => {
    const images = testPixels();
    const rgb = values(images);
    const hsv = values(rgbToHsv(images));
    const expected = Array.from({ length: rgb.length / 3 }, (_, i) =>
      rgbToHsvPixel(rgb[3 * i] as number, rgb[3 * i + 1] as number, rgb[3 * i + 2] as number),
    ).flat();
    expect(Math.max(...hsv.map((v, i) => Math.abs(v - (expected[i] as number))))).toBeLessThan(1e-6);
    const back = values(hsvToRgb(tf.tensor4d(expected, images.shape)));
    const expectedBack = Array.from({ length: expected.length / 3 }, (_, i) =>
      hsvToRgbPixel(expected[3 * i] as number, expected[3 * i + 1] as number, expected[3 * i + 2] as number),
    ).flat();
    expect(Math.max(...back.map((v, i) => Math.abs(v - (expectedBack[i] as number))))).toBeLessThan(1e-6);
    images.dispose();
  });

  it('round-trips rgb → hsv → rgb, keeps shapes and ranges, and leaks nothing', async () => {
    const images = randomBatch(4, 6, 5, 3);
    const hsv = rgbToHsv(images);
    expect(hsv.shape).toEqual([4, 6, 5, 3]);
    expect(Math.min(...values(hsv))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values(hsv))).toBeLessThanOrEqual(1);
    const back = hsvToRgb(hsv);
    expect(maxAbsDiff(back, images)).toBeLessThan(1e-6);
    await assertNoTensorLeak('rgbToHsv', () => rgbToHsv(images));
    await assertNoTensorLeak('hsvToRgb', () => hsvToRgb(hsv));
    expect(() => rgbToHsv(randomBatch(1, 2, 2, 1))).toThrow('rgbToHsv: images must have 3 channels; got 1');
    tf.dispose([images, hsv, back]);
  });
});
