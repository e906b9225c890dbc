import { assertNoTensorLeak, createRng, initBackend, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { featureEvaluation } from '../run/feature-evaluation.js';
import { evaluateFeatures, type LabeledExamples } from './evaluate-features.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

/** Examples are class ids; `clean` features put class c at a corner of its own, `noise` ignores it. */
const labeled = (count: number, seed: number): LabeledExamples<number[]> => {
  const rng = createRng(seed);
  const labels = Array.from({ length: count }, () => rng.int(3));
  return { examples: labels, labels };
};
const clean = (examples: number[]) => tf.tidy(() => tf.oneHot(tf.tensor1d(examples, 'int32'), 3).toFloat() as Tensor2D);
const noise = (examples: number[]) => createRng(examples.length).uniformTensor([examples.length, 5]) as Tensor2D;

describe('evaluateFeatures and featureEvaluation', () => {
  it('scores each named feature set with a linear probe and kNN, in order, disposing what the extractors made', async () => {
    const options = { train: labeled(90, 1), test: labeled(30, 2), classes: 3, probeEpochs: 300, knnK: 5, seed: 0 };
    const rows = await assertNoTensorLeak('evaluateFeatures', () => evaluateFeatures({ clean, noise }, options));
    expect(rows.map((row) => [row.features, row.dimension])).toEqual([
      ['clean', 3],
      ['noise', 5],
    ]);
    expect(rows[0]).toMatchObject({ linearProbeAccuracy: 1, knnAccuracy: 1, knnK: 5 });
    expect(rows[1]?.linearProbeAccuracy).toBeLessThan(0.7);

    const failing = () => {
      throw new Error('no features');
    };
    await assertNoTensorLeak('a failing extractor', async () => {
      await expect(evaluateFeatures({ clean, failing }, options)).rejects.toThrow('no features');
    });
  });

  it('gives every extractor the same train and test examples (one split for every kind of feature)', async () => {
    const options = { train: labeled(40, 5), test: labeled(20, 6), classes: 3, probeEpochs: 2, knnK: 5 };
    const seen: Record<string, unknown[]> = { clean: [], noise: [] };
    const spy = (name: string, extract: (examples: number[]) => Tensor2D) => (examples: number[]) => {
      seen[name]?.push(examples);
      return extract(examples);
    };
    const rows = await evaluateFeatures({ clean: spy('clean', clean), noise: spy('noise', noise) }, options);
    expect(seen.clean).toEqual([options.train.examples, options.test.examples]);
    expect(seen.clean?.[0]).toBe(seen.noise?.[0]);
    expect(seen.clean?.[1]).toBe(seen.noise?.[1]);
    expect(rows.map((row) => row.testCount)).toEqual([20, 20]);
  });

  it('as a run evaluation: the floors first, then the pretrained row beside them', async () => {
    const options = { train: labeled(60, 3), test: labeled(30, 4), classes: 3, probeEpochs: 5, knnK: 5 };
    const lines: string[] = [];
    const evaluation = featureEvaluation({
      ...options,
      description: 'a probe',
      pretrained: clean,
      floors: { noise },
      log: (line) => lines.push(line),
    });
    const floors = await evaluation.floors?.();
    expect(floors?.map((row) => row.features)).toEqual(['noise']);
    const rows = await evaluation.evaluate(floors);
    expect(rows.map((row) => row.features)).toEqual(['pretrained', 'noise']);
    expect(rows[1]).toBe(floors?.[0]);
    expect(lines).toEqual([
      expect.stringMatching(/^evaluated noise: /),
      expect.stringMatching(/^evaluated pretrained: /),
    ]);
    // Without floors given (no floors-first), they are evaluated after the encoder.
    const late = await evaluation.evaluate(undefined);
    expect(late.map((row) => row.features)).toEqual(['pretrained', 'noise']);
  });
});
