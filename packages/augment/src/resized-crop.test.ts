import { assertNoTensorLeak, createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CropBox, resizedCrop } from './resized-crop.js';
import { maxAbsDiff, randomBatch, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

/**
 * torchvision's `resized_crop` as `grid_sample(align_corners=False, padding_mode='border')` would
 * compute it, in float64, one pixel at a time.
 */
function reference(image: Float32Array, [h, w, c]: number[], box: CropBox, [oh, ow]: number[]): number[] {
  const out: number[] = [];
  const at = (y: number, x: number, k: number) => image[(y * (w as number) + x) * (c as number) + k] as number;
  for (let i = 0; i < (oh as number); i++) {
    for (let j = 0; j < (ow as number); j++) {
      const jj = box.flipped === true ? (ow as number) - 1 - j : j;
      const ii = box.flippedVertically === true ? (oh as number) - 1 - i : i;
      const y = Math.min(Math.max(box.top + ((ii + 0.5) * box.height) / (oh as number) - 0.5, 0), (h as number) - 1);
      const x = Math.min(Math.max(box.left + ((jj + 0.5) * box.width) / (ow as number) - 0.5, 0), (w as number) - 1);
      const y0 = Math.floor(y);
      const x0 = Math.floor(x);
      const y1 = Math.min(y0 + 1, (h as number) - 1);
      const x1 = Math.min(x0 + 1, (w as number) - 1);
      for (let k = 0; k < (c as number); k++) {
        const top = at(y0, x0, k) + (at(y0, x1, k) - at(y0, x0, k)) * (x - x0);
        const bottom = at(y1, x0, k) + (at(y1, x1, k) - at(y1, x0, k)) * (x - x0);
        out.push(top + (bottom - top) * (y - y0));
      }
    }
  }
  return out;
}

describe('resizedCrop', () => {
  it('matches torchvision-style half-pixel bilinear sampling with border clamping, for random boxes', () => {
    const images = randomBatch(24, 9, 11, 3);
    const rng = createRng(4);
    const boxes: CropBox[] = Array.from({ length: 24 }, (_, n) => {
      const height = rng.uniform(0.5, 9);
      const width = rng.uniform(0.5, 11);
      return {
        top: rng.uniform(0, 9 - height),
        left: rng.uniform(0, 11 - width),
        height,
        width,
        flipped: n % 3 === 0,
        flippedVertically: n % 5 === 0,
      };
    });
    boxes[1] = { top: 0, left: 0, height: 9, width: 11 }; // identity
    boxes[2] = { top: 0, left: 0, height: 2, width: 2 }; // strong upsampling at the corner
    const sizes: Array<[number, number]> = [
      [7, 5],
      [16, 13],
      [1, 1],
    ];
    for (const size of sizes) {
      const out = resizedCrop(images, boxes, size);
      const data = images.dataSync() as Float32Array;
      const per = 9 * 11 * 3;
      const expected = boxes.flatMap((box, n) =>
        reference(data.subarray(n * per, (n + 1) * per), [9, 11, 3], box, size),
      );
      const got = values(out);
      expect(Math.max(...got.map((v, i) => Math.abs(v - (expected[i] as number))))).toBeLessThan(1e-5);
      out.dispose();
    }
    images.dispose();
  });

  it('is the identity for the whole image and an exact mirror for a flipped one', () => {
    const images = randomBatch(3, 5, 7, 2);
    const whole = { top: 0, left: 0, height: 5, width: 7 };
    const same = resizedCrop(images, [whole, whole, whole], [5, 7]);
    expect(values(same)).toEqual(values(images));
    const mirrored = resizedCrop(
      images,
      [
        { ...whole, flipped: true },
        { ...whole, flippedVertically: true },
        { ...whole, flipped: true, flippedVertically: true },
      ],
      [5, 7],
    );
    const expected = tf.concat([
      tf.reverse(images.slice(0, 1), 2),
      tf.reverse(images.slice(1, 1), 1),
      tf.reverse(images.slice(2, 1), [1, 2]),
    ]);
    expect(values(mirrored)).toEqual(values(expected));
    tf.dispose([images, same, mirrored, expected]);
  });

  it('keeps the border value when upsampling a corner (no extrapolation to 0)', () => {
    const image = tf.tensor4d([0.2, 0.4, 0.6, 0.8], [1, 2, 2, 1]);
    const out = resizedCrop(image, [{ top: 0, left: 0, height: 2, width: 2 }], [4, 4]);
    // torch: F.interpolate(x, size=4, mode='bilinear', align_corners=False)
    const torch = [0.2, 0.25, 0.35, 0.4, 0.3, 0.35, 0.45, 0.5, 0.5, 0.55, 0.65, 0.7, 0.6, 0.65, 0.75, 0.8];
    expect(maxAbsDiff(out, tf.tensor4d(torch, [1, 4, 4, 1]))).toBeLessThan(1e-6);
    tf.dispose([image, out]);
  });

  it('rejects a box per sample missing, or a box outside the image, and leaks nothing', async () => {
    const images = randomBatch(2, 4, 4, 1);
    const box = { top: 0, left: 0, height: 4, width: 4 };
    expect(() => resizedCrop(images, [box], [2, 2])).toThrow('resizedCrop: needs one box per sample (2); got 1');
    expect(() => resizedCrop(images, [box, { ...box, top: 1 }], [2, 2])).toThrow(/outside the 4×4 image/);
    expect(() => resizedCrop(images, [box, box], [0, 2])).toThrow(/size must be \[height, width\]/);
    await assertNoTensorLeak('resizedCrop', () => resizedCrop(images, [box, { ...box, height: 1.5 }], [3, 3]));
    images.dispose();
  });
});
