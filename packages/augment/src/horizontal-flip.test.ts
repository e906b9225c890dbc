import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { horizontalFlip } from './horizontal-flip.js';
import { expectAugmentationContract, expectRate, randomBatch, unchangedSamples } from './test-helpers.js';
import { verticalFlip } from './vertical-flip.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('horizontalFlip and verticalFlip', () => {
  for (const [name, make, axis] of [
    ['horizontalFlip', horizontalFlip, 2],
    ['verticalFlip', verticalFlip, 1],
  ] as const) {
    it(`${name}: flips at rate p over many seeds, and a flipped sample is an exact mirror`, () => {
      const images = randomBatch(50, 4, 5, 3);
      const mirrored = tf.reverse(images, axis) as Tensor4D;
      let flipped = 0;
      for (let seed = 0; seed < 8; seed++) {
        const out = make({ p: 0.3 })(images, createRng(seed));
        const same = unchangedSamples(images, out);
        const mirror = unchangedSamples(mirrored, out);
        expect(same.every((s, i) => s || mirror[i])).toBe(true);
        flipped += same.filter((s) => !s).length;
        out.dispose();
      }
      expectRate(flipped, 400, 0.3);
      tf.dispose([images, mirrored]);
    });

    it(`${name}: keeps the contract and rejects a bad p`, async () => {
      const images = randomBatch(6, 5, 7, 1);
      await expectAugmentationContract(name, make({ p: 0.5 }), images, [6, 5, 7, 1]);
      expect(() => make({ p: -0.1 })).toThrow(`${name}: p must be a probability in [0, 1]; got -0.1`);
      images.dispose();
    });
  }
});
