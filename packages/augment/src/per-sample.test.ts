import { assertNoTensorLeak, createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyToSubset, childRng, roundHalfEven, selectSamples } from './per-sample.js';
import { randomBatch, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('per-sample helpers', () => {
  it('route samples exactly and leak nothing', async () => {
    const images = randomBatch(5, 2, 2, 1);
    const mask = [true, false, true, true, false];
    const negated = (x: Tensor4D) => tf.neg(x) as Tensor4D;
    const partial = applyToSubset(images, mask, negated);
    const blended = selectSamples(mask, tf.neg(images) as Tensor4D, images);
    expect(values(partial)).toEqual(values(blended));
    values(partial).forEach((v, i) => {
      expect(v).toBe(mask[Math.floor(i / 4)] ? -(values(images)[i] as number) : values(images)[i]);
    });
    await assertNoTensorLeak('applyToSubset', () => applyToSubset(images, mask, negated));
    tf.dispose([images, partial, blended]);
  });

  it('rounds half to even like Python, and child streams advance their parent', () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 3]);
    const rng = createRng(1);
    expect(childRng(rng, 'a').next()).not.toBe(childRng(rng, 'a').next());
    expect(childRng(createRng(1), 'a').next()).toBe(childRng(createRng(1), 'a').next());
  });
});
