import { createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianBlur } from './gaussian-blur.js';
import { randomApply } from './random-apply.js';
import { resize } from './resize.js';
import { brighten, expectAugmentationContract, expectRate, randomBatch, unchangedSamples } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('randomApply', () => {
  it('applies the op to samples at rate p and leaves the others exactly', async () => {
    const images = tf.zeros([400, 2, 2, 1]) as Tensor4D;
    const out = randomApply(0.25, brighten)(images, createRng(1));
    expectRate(unchangedSamples(images, out).filter((s) => !s).length, 400, 0.25);
    await expectAugmentationContract(
      'randomApply',
      randomApply(0.5, gaussianBlur({ kernelSize: 3, p: 1 })),
      randomBatch(10, 6, 6, 3),
    );
    expect(() => randomApply(1, resize([3, 3]))(randomBatch(2, 4, 4, 1), createRng(0))).toThrow(
      /op must keep the shape \[2,4,4,1\]; got \[2,3,3,1\]/,
    );
    expect(() => randomApply(-1, brighten)).toThrow(/probability/);
    tf.dispose([images, out]);
  });
});
