import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { roundHalfEven } from './per-sample.js';
import { randomTranslation } from './random-translation.js';
import { expectAugmentationContract, randomBatch, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('randomTranslation', () => {
  it('shifts each sample by whole pixels within the range, copying pixels exactly and filling the rest', () => {
    const [n, h, w] = [40, 6, 8];
    const images = tf.tidy(() => tf.add(randomBatch(n, h, w, 1), 1) as Tensor4D); // in [1, 2): fill 0 stands out
    const out = randomTranslation({ fraction: [0.25, 0.34] })(images, createRng(5));
    // The documented draws, replayed: dx = round(U(−fx·W, fx·W)), then dy = round(U(−fy·H, fy·H)).
    const draws = createRng(5);
    const drawn = Array.from({ length: n }, () => [
      roundHalfEven(draws.uniform(-0.25 * w, 0.25 * w)),
      roundHalfEven(draws.uniform(-0.34 * h, 0.34 * h)),
    ]);
    const input = values(images);
    const output = values(out);
    const shifts = new Set<string>();
    for (let s = 0; s < n; s++) {
      const at = (data: number[], y: number, x: number) => data[(s * h + y) * w + x] as number;
      // Find the shift that explains this sample.
      let found: [number, number] | undefined;
      for (let dy = -2; dy <= 2 && !found; dy++) {
        for (let dx = -2; dx <= 2 && !found; dx++) {
          let ok = true;
          for (let y = 0; y < h && ok; y++) {
            for (let x = 0; x < w && ok; x++) {
              const sy = y - dy;
              const sx = x - dx;
              const expected = sy >= 0 && sy < h && sx >= 0 && sx < w ? at(input, sy, sx) : 0;
              ok = at(output, y, x) === expected;
            }
          }
          if (ok) found = [dx, dy];
        }
      }
      expect(found, `sample ${s} is its drawn whole-pixel shift [dx, dy]`).toEqual(drawn[s]);
      shifts.add(found?.join() as string);
    }
    expect(shifts.size).toBeGreaterThan(5);
    tf.dispose([images, out]);
  });

  it('keeps the contract and rejects a bad fraction', async () => {
    const images = randomBatch(5, 8, 10, 3);
    await expectAugmentationContract(
      'randomTranslation',
      randomTranslation({ fraction: [0.2, 0.2] }),
      images,
      [5, 8, 10, 3],
    );
    expect(() => randomTranslation({ fraction: [1.5, 0] })).toThrow(/fraction must be/);
    images.dispose();
  });
});
