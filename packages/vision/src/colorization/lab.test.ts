import { assertNoTensorLeak, createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { photoCrops } from '../test-images.js';
import { labToRgb, rgbToLab, rgbToLightness } from './lab.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

// skimage.color.rgb2lab (D65, 2°) of pure colours.
const REFERENCE: Array<[number[], number[]]> = [
  [
    [1, 0, 0],
    [53.2408, 80.0925, 67.2032],
  ],
  [
    [0, 1, 0],
    [87.7347, -86.1827, 83.1793],
  ],
  [
    [0, 0, 1],
    [32.297, 79.1875, -107.8602],
  ],
  [
    [1, 1, 1],
    [100, 0, 0],
  ],
  [
    [0, 0, 0],
    [0, 0, 0],
  ],
];

describe('RGB ↔ Lab', () => {
  it('matches scikit-image on reference colours', () => {
    const lab = rgbToLab(tf.tensor2d(REFERENCE.map(([rgb]) => rgb)));
    const values = lab.arraySync() as number[][];
    REFERENCE.forEach(([, expected], i) => {
      expected.forEach((value, k) => {
        expect(values[i]?.[k]).toBeCloseTo(value, 2);
      });
    });
    lab.dispose();
  });

  it('round-trips: Lab→RGB(RGB→Lab(x)) ≈ x on random colours and real photographs', async () => {
    const photos = await photoCrops();
    const random = createRng(0).uniformTensor([2, 16, 16, 3]) as Tensor4D;
    for (const images of [random, photos]) {
      const restored = labToRgb(rgbToLab(images));
      expect(tf.max(tf.abs(tf.sub(restored, images))).dataSync()[0]).toBeLessThan(2e-3);
      restored.dispose();
    }
    const lightness = rgbToLightness(photos);
    expect(lightness.shape).toEqual([8, 64, 64, 1]);
    expect(tf.min(lightness).dataSync()[0]).toBeGreaterThanOrEqual(0);
    expect(tf.max(lightness).dataSync()[0]).toBeLessThanOrEqual(1);
    tf.dispose([photos, random, lightness]);
  });

  it('clips colours outside the sRGB gamut, leaks nothing, and names a wrong shape', async () => {
    const outside = tf.tensor2d([[50, 120, -120]]);
    const rgb = labToRgb(outside);
    for (const v of rgb.dataSync()) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    const images = createRng(1).uniformTensor([2, 4, 4, 3]) as Tensor4D;
    await assertNoTensorLeak('rgbToLab', () => rgbToLab(images));
    await assertNoTensorLeak('labToRgb', () => labToRgb(images));
    await assertNoTensorLeak('rgbToLightness', () => rgbToLightness(images));
    expect(() => rgbToLab(tf.zeros([2, 4, 4, 1]))).toThrow(
      'rgbToLab: expected colours on the last axis [..., 3]; got [2,4,4,1]',
    );
    tf.dispose([outside, rgb, images]);
  });
});
