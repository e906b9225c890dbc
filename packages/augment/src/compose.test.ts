import { assertNoTensorLeak, createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Augmentation } from './augmentation.js';
import { compose } from './compose.js';
import { horizontalFlip } from './horizontal-flip.js';
import { randomResizedCrop } from './random-resized-crop.js';
import { brighten, expectAugmentationContract, randomBatch, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('compose', () => {
  it('runs ops in order, disposing intermediates', async () => {
    const images = tf.zeros([3, 2, 2, 1]) as Tensor4D;
    const twice = compose(brighten, brighten)(images, createRng(0));
    expect(values(twice)[0]).toBeCloseTo(0.2, 6);
    const empty = compose()(images, createRng(0));
    expect(values(empty)).toEqual(values(images));
    // An op that hands back its input is tolerated: nothing is disposed twice or leaked.
    const passThrough: Augmentation = (x) => x;
    await assertNoTensorLeak('compose pass-through', () =>
      compose(brighten, passThrough, brighten, passThrough)(images, createRng(0)),
    );
    await expectAugmentationContract(
      'compose',
      compose(randomResizedCrop({ size: [4, 4] }), horizontalFlip()),
      randomBatch(6, 8, 8, 3),
      [6, 4, 4, 3],
    );
    tf.dispose([images, twice, empty]);
  });

  it('gives each op its own stream: changing a later op does not change the draws of an earlier one', () => {
    const images = randomBatch(6, 8, 8, 3);
    const crop = randomResizedCrop({ size: [4, 4] });
    const a = compose(crop, horizontalFlip({ p: 0 }))(images, createRng(5));
    const b = compose(crop, horizontalFlip({ p: 0 }), brighten)(images, createRng(5));
    expect(values(tf.minimum(tf.add(a, 0.1), 1))).toEqual(values(b));
    expect(() => compose(crop, 3 as unknown as Augmentation)).toThrow(
      'compose: argument 1 is not an augmentation (a function)',
    );
    tf.dispose([images, a, b]);
  });
});
