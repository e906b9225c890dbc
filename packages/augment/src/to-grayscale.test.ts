import { assertNoTensorLeak, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomBatch, values } from './test-helpers.js';
import { GRAYSCALE_WEIGHTS, toGrayscale } from './to-grayscale.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('toGrayscale', () => {
  it('computes torchvision luma 0.2989 r + 0.587 g + 0.114 b, as 1 or 3 equal channels', async () => {
    const images = randomBatch(3, 4, 5, 3);
    const rgb = values(images);
    const expected = Array.from({ length: rgb.length / 3 }, (_, i) =>
      GRAYSCALE_WEIGHTS.reduce((sum, w, c) => sum + w * (rgb[3 * i + c] as number), 0),
    );
    const gray = toGrayscale(images);
    expect(gray.shape).toEqual([3, 4, 5, 1]);
    expect(Math.max(...values(gray).map((v, i) => Math.abs(v - (expected[i] as number))))).toBeLessThan(1e-6);
    const three = values(toGrayscale(images, { channels: 3 }));
    for (let i = 0; i < three.length; i += 3) {
      expect(three[i]).toBe(three[i + 1]);
      expect(three[i + 1]).toBe(three[i + 2]);
    }
    const single = randomBatch(2, 3, 3, 1);
    expect(values(toGrayscale(single))).toEqual(values(single));
    expect(toGrayscale(single, { channels: 3 }).shape).toEqual([2, 3, 3, 3]);
    expect(() => toGrayscale(tf.zeros([1, 2, 2, 2]))).toThrow(/1 \(grayscale\) or 3 \(RGB\) channels; got 2/);
    await assertNoTensorLeak('toGrayscale', () => toGrayscale(images, { channels: 3 }));
    tf.dispose([images, gray, single]);
  });
});
