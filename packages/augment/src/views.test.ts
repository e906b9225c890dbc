import { assertNoTensorLeak, createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Augmentation } from './augmentation.js';
import { randomBatch } from './test-helpers.js';
import { views } from './views.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

// The contract checks of views and twoViews live in two-views.test.ts.
describe('views', () => {
  it('disposes the views already made when a later pipeline throws', async () => {
    const images = randomBatch(2, 4, 4, 1);
    const ok: Augmentation = (x) => tf.clone(x) as Tensor4D;
    const broken: Augmentation = () => {
      throw new Error('boom');
    };
    await assertNoTensorLeak('views', () => {
      expect(() => views([ok, ok, broken])(images, createRng(0))).toThrow('boom');
    });
    images.dispose();
  });

  it('copies a view that a pipeline handed back as its input, so disposing views never frees the batch', () => {
    const images = randomBatch(2, 4, 4, 1);
    const identity: Augmentation = (x) => x;
    const made = views([identity, identity])(images, createRng(0));
    tf.dispose(made);
    expect(images.isDisposed).toBe(false);
    images.dispose();
  });
});
