import { assertNoTensorLeak, createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { denormalize, normalize } from './normalize.js';
import { maxAbsDiff, randomBatch, values } from './test-helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('normalize and denormalize', () => {
  it('standardize per channel and invert each other', async () => {
    const images = randomBatch(3, 4, 4, 3);
    const stats = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
    const normalized = normalize(stats)(images, createRng(0));
    const pixel = values(images).slice(0, 3);
    expect(
      values(normalized)
        .slice(0, 3)
        .map((v, c) => v * (stats.std[c] as number) + (stats.mean[c] as number)),
    ).toEqual(pixel.map((v) => expect.closeTo(v, 5)));
    const back = denormalize(stats)(normalized, createRng(0));
    expect(maxAbsDiff(back, images)).toBeLessThan(1e-6);
    const gray = randomBatch(2, 3, 3, 1);
    const fashion = { mean: [0.286], std: [0.353] };
    expect(maxAbsDiff(denormalize(fashion)(normalize(fashion)(gray, createRng(0)), createRng(0)), gray)).toBeLessThan(
      1e-6,
    );
    await assertNoTensorLeak('normalize', () => normalize(stats)(images, createRng(0)));
    await assertNoTensorLeak('denormalize', () => denormalize(stats)(images, createRng(0)));
    tf.dispose([images, normalized, back, gray]);
  });

  it('rejects mismatched statistics', () => {
    const images = randomBatch(1, 2, 2, 3);
    expect(() => normalize({ mean: [0.5], std: [0.5] })(images, createRng(0))).toThrow(
      'normalize: images have 3 channels but 1 mean/std values were given',
    );
    expect(() => normalize({ mean: [0.5, 0.5], std: [0.5] })).toThrow(/one value per channel/);
    expect(() => denormalize({ mean: [0.5], std: [0] })).toThrow(/std > 0/);
    images.dispose();
  });
});
