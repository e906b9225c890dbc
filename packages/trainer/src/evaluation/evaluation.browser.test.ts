import { createRng, initBackend, tf } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import type { EvaluationRow } from './evaluate-encoder.js';
import { evaluateFeatures, type LabeledExamples } from './evaluate-features.js';

/** Rows of 8-d features: class c has a bump at dimension c, plus seeded noise. */
function dataset(count: number, seed: number): LabeledExamples<Float32Array> {
  const rng = createRng(seed);
  const labels = Array.from({ length: count }, (_, i) => i % 3);
  const examples = Float32Array.from({ length: count * 8 }, (_, j) => {
    const [row, dimension] = [Math.floor(j / 8), j % 8];
    return (dimension === labels[row] ? 3 : 0) + rng.normal(0, 1);
  });
  return { examples, labels };
}

async function evaluateOn(backend: 'cpu' | 'webgpu'): Promise<EvaluationRow> {
  await initBackend({ backend, log: false });
  expect(tf.getBackend()).toBe(backend);
  const before = tf.memory().numTensors;
  const [row] = await evaluateFeatures(
    { pretrained: (rows: Float32Array) => tf.tensor2d(rows, [rows.length / 8, 8]) },
    { train: dataset(48, 1), test: dataset(30, 2), classes: 3, probeEpochs: 100, knnK: 7, seed: 3 },
  );
  expect(tf.memory().numTensors).toBe(before);
  return row as EvaluationRow;
}

// webgpu (SwiftShader here) has no synchronous readback: a dataSync() in the probe or kNN would throw.
describe('the linear probe and kNN in a page', () => {
  it('give the same accuracies on webgpu as on cpu for the same seed, with the test size and intervals', async () => {
    const onCpu = await evaluateOn('cpu');
    const onWebgpu = await evaluateOn('webgpu');
    const { seconds: _cpu, ...cpu } = onCpu;
    const { seconds: _webgpu, ...webgpu } = onWebgpu;
    expect(webgpu).toEqual(cpu);
    expect(cpu.testCount).toBe(30);
    expect(cpu.knnAccuracy).toBeGreaterThan(0.6);
  });
});
