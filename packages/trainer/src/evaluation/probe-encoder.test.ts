import { assertNoTensorLeak, createRng, initBackend, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import { createSmallCnn, type Encoder } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LabeledExamples } from './evaluate-features.js';
import { type EncoderProbe, probeEncoder } from './probe-encoder.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

/** Examples are class ids; an image of class c is filled with c / 3. */
const labeled = (count: number, seed: number): LabeledExamples<number[]> => {
  const rng = createRng(seed);
  const labels = Array.from({ length: count }, () => rng.int(3));
  return { examples: labels, labels };
};
const featuresOf = (encoder: Encoder) => (examples: number[]) =>
  tf.tidy(() => {
    const images = tf.tensor1d(examples).div(3).reshape([-1, 1, 1, 1]).tile([1, 8, 8, 1]) as Tensor4D;
    return encoder.apply(images, { training: false }) as Tensor2D;
  });

describe('probeEncoder', () => {
  const options = { classes: 3, probeEpochs: 5, knnK: 5, seed: 0 };

  it('gives the probe a random-init twin for the floors, scores pretrained first, and disposes the twin', async () => {
    const encoder = createSmallCnn({ inputShape: [8, 8, 1], widths: [4], strides: [2], seed: 1 });
    const given: Array<Encoder | undefined> = [];
    const probeOf = async (randomInit: Encoder | undefined): Promise<EncoderProbe<number[]>> => {
      given.push(randomInit);
      return {
        train: labeled(30, 1),
        test: labeled(12, 2),
        pretrained: featuresOf(encoder),
        floors: randomInit === undefined ? {} : { 'random-init': featuresOf(randomInit) },
      };
    };
    const rows = await assertNoTensorLeak('probeEncoder', () => probeEncoder(encoder, probeOf, options));
    expect(rows.map((row) => [row.features, row.dimension])).toEqual([
      ['pretrained', encoder.featureSize],
      ['random-init', encoder.featureSize],
    ]);
    expect(given[0]).not.toBe(encoder);
    expect(given[0]?.config.kind).toBe(encoder.config.kind);

    const alone = await assertNoTensorLeak('probeEncoder without floors', () =>
      probeEncoder(encoder, probeOf, { ...options, floors: false }),
    );
    expect(alone.map((row) => row.features)).toEqual(['pretrained']);
    expect(given[1]).toBeUndefined();

    const failing = async (): Promise<EncoderProbe<number[]>> => {
      throw new Error('no passages');
    };
    await assertNoTensorLeak('a failing probe', async () => {
      await expect(probeEncoder(encoder, failing, options)).rejects.toThrow('no passages');
    });
    encoder.dispose();
  });
});
