// The evaluation on WebGPU in Node (Dawn's `webgpu` package on Mesa's lavapipe when there is no
// GPU — .ci/run installs it): WebGPU has no synchronous readback, so a probe or kNN that read
// with dataSync would throw here; the accuracies must be those the same seed gives on wasm and cpu.
// Skipped only when WebGPU cannot start here, with the reason.
import { createRng, initBackend, tf } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import type { EvaluationRow } from './evaluate-encoder.js';
import { evaluateFeatures, type LabeledExamples } from './evaluate-features.js';

async function webgpuUnavailable(): Promise<string | undefined> {
  try {
    await initBackend({ backend: 'webgpu', log: false });
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}
const unavailable = await webgpuUnavailable();

/** Examples are rows of 8-d features: class c has a bump at dimension c, plus seeded noise. */
function dataset(count: number, seed: number): LabeledExamples<Float32Array> {
  const rng = createRng(seed);
  const labels = Array.from({ length: count }, (_, i) => i % 3);
  const examples = Float32Array.from({ length: count * 8 }, (_, j) => {
    const [row, dimension] = [Math.floor(j / 8), j % 8];
    return (dimension === labels[row] ? 3 : 0) + rng.normal(0, 1);
  });
  return { examples, labels };
}

async function evaluateOn(backend: 'cpu' | 'wasm' | 'webgpu'): Promise<EvaluationRow[]> {
  await initBackend({ backend, log: false });
  const pretrained = (rows: Float32Array) => tf.tensor2d(rows, [rows.length / 8, 8]);
  const before = tf.memory().numTensors;
  const rows = await evaluateFeatures(
    { pretrained },
    { train: dataset(96, 1), test: dataset(60, 2), classes: 3, probeEpochs: 300, knnK: 9, seed: 3, seeds: 2 },
  );
  expect(tf.memory().numTensors).toBe(before);
  return rows;
}

const accuracies = (rows: EvaluationRow[]) =>
  rows.map((row) => ({
    features: row.features,
    testCount: row.testCount,
    linearProbeSeedAccuracies: row.linearProbeSeedAccuracies,
    knnAccuracy: row.knnAccuracy,
  }));

describe.skipIf(unavailable !== undefined)(
  `evaluation on webgpu in Node${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    it('gives the linear-probe and kNN accuracies that wasm and cpu give for the same seed', async () => {
      const onWasm = accuracies(await evaluateOn('wasm'));
      const onCpu = accuracies(await evaluateOn('cpu'));
      const onWebgpu = accuracies(await evaluateOn('webgpu'));
      expect(onCpu).toEqual(onWasm);
      expect(onWebgpu).toEqual(onWasm);
      // Not a trivial agreement: the bumps are learnt (chance is 1/3), and the two seeds differ.
      const [first, second] = onWasm[0]?.linearProbeSeedAccuracies ?? [];
      expect(first).toBeGreaterThan(0.6);
      expect(second).not.toBe(first);
      expect(onWasm[0]?.knnAccuracy).toBeGreaterThan(0.6);
    }, 600_000);
  },
);
