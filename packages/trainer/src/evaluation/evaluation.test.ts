import { assertNoTensorLeak, createRng, initBackend, type Tensor1D, type Tensor2D, tf } from '@selfsup/backend';
import { loadIdxImages, selectImages } from '@selfsup/data';
import { createSmallCnn } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EvaluationRow, evaluateEncoder, evaluateFloors } from './evaluate-encoder.js';
import { rawPixelFeatures } from './extract-features.js';
import { knnClassifier } from './knn-classifier.js';
import { linearProbe } from './linear-probe.js';
import { wilsonInterval } from './wilson-interval.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

/** Two Gaussian blobs per class in 8-d: separable, with some noise. */
function blobs(count: number, seed: number): { features: Tensor2D; labels: Tensor1D } {
  const rng = createRng(seed);
  const values = new Float32Array(count * 8);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    labels[i] = label;
    for (let d = 0; d < 8; d++) values[i * 8 + d] = (d === label ? 3 : 0) + rng.normal(0, 1);
  }
  return { features: tf.tensor2d(values, [count, 8]), labels: tf.tensor1d(labels, 'int32') };
}

/** Brute-force weighted kNN in plain JS, the formula written out. */
function referenceKnn(
  train: number[][],
  trainLabels: number[],
  test: number[][],
  k: number,
  temperature: number,
  classes: number,
): number[] {
  const unit = (v: number[]) => {
    const n = Math.max(Math.hypot(...v), 1e-12);
    return v.map((x) => x / n);
  };
  const trainUnit = train.map(unit);
  return test.map((query) => {
    const q = unit(query);
    const sims = trainUnit.map((t, i) => ({
      sim: t.reduce((s, x, d) => s + x * (q[d] as number), 0),
      label: trainLabels[i] as number,
    }));
    sims.sort((a, b) => b.sim - a.sim);
    const votes = new Array(classes).fill(0);
    for (const { sim, label } of sims.slice(0, k)) votes[label] += Math.exp(sim / temperature);
    return votes.indexOf(Math.max(...votes));
  });
}

describe('linear probe and kNN', () => {
  it('separate separable classes', async () => {
    const train = blobs(300, 1);
    const test = blobs(150, 2);
    const probe = await assertNoTensorLeak('linearProbe', () =>
      linearProbe({
        trainFeatures: train.features,
        trainLabels: train.labels,
        testFeatures: test.features,
        testLabels: test.labels,
        classes: 3,
        epochs: 30,
        learningRate: 0.05,
      }),
    );
    expect(probe.testAccuracy).toBeGreaterThan(0.85);
    const knn = await assertNoTensorLeak('knn', () =>
      knnClassifier({
        trainFeatures: train.features,
        trainLabels: train.labels,
        testFeatures: test.features,
        testLabels: test.labels,
        classes: 3,
        k: 20,
        chunkSize: 64,
      }),
    );
    expect(knn).toBeGreaterThan(0.85);
    tf.dispose([train.features, train.labels, test.features, test.labels]);
  });

  it('kNN agrees with a brute-force implementation of the formula', async () => {
    const train = blobs(60, 3);
    const test = blobs(25, 4);
    const trainRows = train.features.arraySync() as number[][];
    const testRows = test.features.arraySync() as number[][];
    const expected = referenceKnn(trainRows, Array.from(train.labels.dataSync()), testRows, 7, 0.07, 3);
    const truth = Array.from(test.labels.dataSync());
    const expectedAccuracy = expected.filter((p, i) => p === truth[i]).length / truth.length;
    const accuracy = await knnClassifier({
      trainFeatures: train.features,
      trainLabels: train.labels,
      testFeatures: test.features,
      testLabels: test.labels,
      classes: 3,
      k: 7,
      chunkSize: 10,
    });
    expect(accuracy).toBeCloseTo(expectedAccuracy, 10);
    tf.dispose([train.features, train.labels, test.features, test.labels]);
  });
});

describe('linearProbe', () => {
  it('trains as tf.train.adam on tape-recorded softmax cross-entropy does (its closed-form gradient and Adam agree)', async () => {
    const train = selectImages(
      await loadIdxImages({ split: 'train' }),
      Array.from({ length: 500 }, (_, i) => i * 11),
    );
    const test = selectImages(
      await loadIdxImages({ split: 'test' }),
      Array.from({ length: 300 }, (_, i) => i * 3),
    );
    const [trainFeatures, testFeatures] = [rawPixelFeatures(train), rawPixelFeatures(test)];
    const trainLabels = tf.tensor1d(Int32Array.from(train.labels), 'int32');
    const testLabels = tf.tensor1d(Int32Array.from(test.labels), 'int32');
    const options = {
      trainFeatures,
      trainLabels,
      testFeatures,
      testLabels,
      classes: 10,
      epochs: 4,
      batchSize: 64,
      learningRate: 3e-3,
      seed: 5,
    };
    const probe = await linearProbe(options);
    // The same probe, written with the optimizer and gradients tfjs records (the formulation the
    // closed form replaces): same seed, same standardization, initialization and batch order.
    const reference = tf.tidy(() => {
      const rng = createRng(5);
      const { mean, variance } = tf.moments(trainFeatures, 0);
      const std = tf.add(tf.sqrt(variance), 1e-6);
      const standardized = tf.div(tf.sub(trainFeatures, mean), std) as Tensor2D;
      const limit = Math.sqrt(6 / (784 + 10));
      const weights = tf.variable(rng.uniformTensor([784, 10], -limit, limit));
      const bias = tf.variable(tf.zeros([10]));
      const optimizer = tf.train.adam(3e-3);
      const oneHot = tf.oneHot(trainLabels, 10);
      for (let epoch = 0; epoch < 4; epoch++) {
        const order = rng.fork(`epoch-${epoch}`).permutation(500);
        for (let start = 0; start < 500; start += 64) {
          const indices = tf.tensor1d(order.subarray(start, Math.min(500, start + 64)), 'int32');
          optimizer.minimize(
            () =>
              tf.losses.softmaxCrossEntropy(
                tf.gather(oneHot, indices),
                tf.add(tf.matMul(tf.gather(standardized, indices), weights), bias),
              ) as tf.Scalar,
          );
        }
      }
      const logits = tf.add(tf.matMul(tf.div(tf.sub(testFeatures, mean), std), weights), bias);
      const accuracy = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), testLabels), 'float32')).dataSync()[0];
      optimizer.dispose();
      tf.dispose([weights, bias]);
      return accuracy;
    });
    expect(probe.testAccuracy).toBeGreaterThan(0.6);
    expect(probe.testAccuracy).toBeCloseTo(reference as number, 6);
    tf.dispose([trainFeatures, testFeatures, trainLabels, testLabels]);
  });
});

describe('evaluateEncoder', () => {
  it('reports the encoder beside the random-init and raw-pixel floors on real images', async () => {
    const train = selectImages(
      await loadIdxImages({ split: 'train' }),
      Array.from({ length: 600 }, (_, i) => i * 10),
    );
    const test = selectImages(
      await loadIdxImages({ split: 'test' }),
      Array.from({ length: 200 }, (_, i) => i * 5),
    );
    const encoder = createSmallCnn({ widths: [8, 16], strides: [2, 2], seed: 1 });
    const rows = await assertNoTensorLeak('evaluateEncoder', () =>
      evaluateEncoder(encoder, { train, test, classes: 10, probeEpochs: 5, knnK: 20 }),
    );
    expect(rows.map((r) => r.features)).toEqual(['pretrained', 'random-init', 'raw-pixels']);
    expect(rows[2]?.dimension).toBe(784);
    // Raw pixels of Fashion-MNIST are far above chance (10%) even with 600 training images.
    expect(rows[2]?.linearProbeAccuracy).toBeGreaterThan(0.6);
    expect(rows[2]?.knnAccuracy).toBeGreaterThan(0.6);
    // One split for every kind of feature: each row is measured on the same 200 test images, and
    // its 95 % interval is the Wilson interval of its accuracy on them.
    for (const row of rows) {
      expect(row.testCount).toBe(200);
      expect(row.linearProbeInterval).toEqual(wilsonInterval(Math.round(row.linearProbeAccuracy * 200), 200));
      expect(row.knnInterval).toEqual(wilsonInterval(Math.round(row.knnAccuracy * 200), 200));
      expect(row.linearProbeSeedAccuracies).toEqual([row.linearProbeAccuracy]);
      expect(row.linearProbeStd).toBe(0);
    }
    // The floors do not depend on the encoder's weights: evaluated before (here: on a differently
    // seeded twin), they are the same rows, and evaluateEncoder reuses them as given.
    const other = createSmallCnn({ widths: [8, 16], strides: [2, 2], seed: 7 });
    const floors = await assertNoTensorLeak('evaluateFloors', () =>
      evaluateFloors(other, { train, test, classes: 10, probeEpochs: 5, knnK: 20 }),
    );
    const strip = (row: EvaluationRow | undefined) => ({ ...row, seconds: 0 });
    expect(floors.map(strip)).toEqual(rows.slice(1).map(strip));
    const reused = await evaluateEncoder(encoder, { train, test, classes: 10, probeEpochs: 5, knnK: 20, floors });
    expect(reused.slice(1)).toEqual(floors);
    expect(strip(reused[0])).toEqual(strip(rows[0]));
    expect(
      await evaluateEncoder(encoder, { train, test, classes: 10, probeEpochs: 5, knnK: 20, floors: false }),
    ).toHaveLength(1);
    // seeds: n repeats the probe with seeds seed, seed + 1, …: the first is the one-seed row's.
    const [seeded] = await assertNoTensorLeak('evaluateEncoder with 3 seeds', () =>
      evaluateEncoder(encoder, { train, test, classes: 10, probeEpochs: 5, knnK: 20, floors: false, seeds: 3 }),
    );
    const perSeed = seeded?.linearProbeSeedAccuracies ?? [];
    expect(perSeed).toHaveLength(3);
    expect(perSeed[0]).toBe(rows[0]?.linearProbeAccuracy);
    const mean = (perSeed[0]! + perSeed[1]! + perSeed[2]!) / 3;
    expect(seeded?.linearProbeAccuracy).toBeCloseTo(mean, 12);
    const std = Math.sqrt(perSeed.reduce((sum, value) => sum + (value - mean) ** 2, 0) / 2);
    expect(seeded?.linearProbeStd).toBeCloseTo(std, 12);
    expect(seeded?.knnAccuracy).toBe(rows[0]?.knnAccuracy);
    await expect(evaluateEncoder(encoder, { train, test, classes: 10, seeds: 0 })).rejects.toThrow(
      'evaluation seeds must be a positive integer (linear probes per row), got 0',
    );
    other.dispose();
    encoder.dispose();
  });
});

describe('fineTune', () => {
  it('trains a copy of the encoder with a head on few labels, leaving the original unchanged', async () => {
    const { fineTune } = await import('./fine-tune.js');
    const train = selectImages(
      await loadIdxImages({ split: 'train' }),
      Array.from({ length: 300 }, (_, i) => i * 20),
    );
    const test = selectImages(
      await loadIdxImages({ split: 'test' }),
      Array.from({ length: 200 }, (_, i) => i * 5),
    );
    const encoder = createSmallCnn({ widths: [16, 32], strides: [2, 2], seed: 2 });
    const before = Array.from(encoder.trainableVariables[0]?.dataSync() ?? []);
    const tensors = tf.memory().numTensors;
    const result = await fineTune(encoder, {
      train,
      test,
      classes: 10,
      epochs: 20,
      batchSize: 50,
      headLearningRate: 1e-2,
      encoderLearningRate: 3e-3,
    });
    expect(result.trainAccuracy).toBeGreaterThan(0.6);
    expect(result.testAccuracy).toBeGreaterThan(0.5);
    expect(Array.from(encoder.trainableVariables[0]?.dataSync() ?? [])).toEqual(before);
    result.encoder.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
    encoder.dispose();
  });
});
