/**
 * What the divergence check and the collapse metric cost a SimCLR step:
 * `tsx --conditions=@selfsup/source bench/divergence-check-bench.ts [size] [batch] [steps]`
 * (defaults 32, 64, 8: the CLI's small CNN on 32×32 RGB). Prints, as one JSON line, the median
 * step time (augment + forward + backward + Adam), the check alone (the fused sums over every
 * gradient and every weight, read with the loss) and the `embeddingStd` metric alone (computed
 * every `metricsEverySteps`, 10 by default).
 */
import { createRng, initBackend, readScalars, type Scalar, tf } from '@selfsup/backend';
import { createSmallCnn } from '@selfsup/models';
import { namedWeights, sumOfAll } from '../src/finite-check.js';
import { createSimclr } from '../src/methods/simclr.js';
import { createOptimizer } from '../src/optimizers/create-optimizer.js';

const [size = 32, batchSize = 64, steps = 8] = process.argv.slice(2).map(Number);
const backend = await initBackend({ backend: 'wasm', log: false });
const encoder = createSmallCnn({ inputShape: [size, size, 3], widths: [32, 64, 128, 128], strides: [1, 2, 2, 2] });
const objective = createSimclr({ encoder, seed: 2 });
const optimizer = createOptimizer({ kind: 'adam' }, objective.trainableVariables);
const weights = namedWeights(objective);
const images = tf.randomUniform([batchSize, size, size, 3], 0, 1, 'float32', 3);
const stepTimes: number[] = [];
const checkTimes: number[] = [];
const metricTimes: number[] = [];
const seconds = (since: number) => (performance.now() - since) / 1000;
for (let step = 0; step < steps + 1; step++) {
  const start = performance.now();
  const prepared = objective.prepare(images, createRng(step));
  const { value, grads } = tf.variableGrads(
    () => objective.loss(prepared, { step, totalSteps: steps + 1 }) as Scalar,
    objective.trainableVariables,
  );
  value.dataSync();
  const checkStart = performance.now();
  const probe = tf.tidy(() =>
    tf.stack([value, sumOfAll(Object.values(grads)), sumOfAll(weights.map((w) => w.tensor))]),
  );
  probe.dataSync();
  const check = seconds(checkStart);
  tf.dispose([probe, value]);
  optimizer.applyGradients(grads, 1e-3);
  tf.dispose(Object.values(grads));
  const metricStart = performance.now();
  await readScalars(objective.metrics?.(prepared) ?? {});
  const metric = seconds(metricStart);
  tf.dispose(prepared as never);
  if (step === 0) continue; // warm-up
  stepTimes.push(seconds(start) - metric);
  checkTimes.push(check);
  metricTimes.push(metric);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const ms = (value: number) => Number((value * 1000).toFixed(2));
const step = median(stepTimes);
console.log(
  JSON.stringify({
    backend: `${backend.name} (${backend.threads} thread${backend.threads > 1 ? 's' : ''})`,
    input: [size, size, 3],
    batchSize,
    parameters: weights.reduce((total, w) => total + w.tensor.size, 0),
    stepMs: ms(step),
    divergenceCheckMs: ms(median(checkTimes)),
    divergenceCheckShare: `${((100 * median(checkTimes)) / step).toFixed(2)} %`,
    embeddingStdMetricMs: ms(median(metricTimes)),
    embeddingStdShareEvery10Steps: `${((100 * median(metricTimes)) / 10 / step).toFixed(2)} %`,
  }),
);
optimizer.dispose();
objective.dispose();
encoder.dispose();
