import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';
import { assertNoTensorLeak } from './memory.js';
import { batchNormTraining } from './ops/batch-norm-training.js';
import { rowLogSumExp } from './ops/row-log-sum-exp.js';
import { maxRelativeError, type ParityInput, randomValues, runOn } from './testing/backend-parity.js';
import { TRAINING_OP_CASES, valueAndGradients } from './testing/training-op-cases.js';

/**
 * WebGPU in Node: Dawn's `webgpu` package gives Node a `navigator.gpu`; on a machine without a GPU
 * it runs on Mesa's lavapipe (≥ 25; Debian 12: `apt-get install -t bookworm-backports
 * mesa-vulkan-drivers`, which .ci/run does). A correctness path, not a fast one. Skipped only when
 * Dawn cannot make an adapter here, with the reason in the suite's name.
 */
async function dawnGpu(): Promise<{ gpu?: GPU; reason?: string }> {
  try {
    const { create } = await import('webgpu');
    const gpu = create([]);
    const adapter = await gpu.requestAdapter();
    if (adapter === null) return { reason: 'Dawn found no adapter (is Mesa lavapipe ≥ 25 installed?)' };
    return { gpu };
  } catch (error) {
    return { reason: `Dawn's webgpu package could not load: ${(error as Error).message.split('\n')[0]}` };
  }
}

const dawn = await dawnGpu();

/**
 * lavapipe compiles each new shader with LLVM: ~2 minutes for this file with a cold Mesa shader
 * cache (~/.cache/mesa_shader_cache, or MESA_SHADER_CACHE_DIR), ~15 s warm.
 */
const COLD_SHADERS_MS = 600_000;

beforeAll(async () => {
  if (dawn.gpu === undefined) return;
  // No navigator.gpu set here: initBackend provides one from Dawn's `webgpu` package.
  expect((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu).toBeUndefined();
  await initBackend({ backend: 'cpu', log: false });
  const info = await initBackend({ backend: 'webgpu', log: false });
  expect(info).toMatchObject({ name: 'webgpu', provider: '@tensorflow/tfjs-backend-webgpu' });
});

/** A SimCLR step in miniature: two views through conv → batch norm → conv → pool → projector, NT-Xent. */
const IMAGES = randomValues([4, 8, 8, 3], 1);
const WEIGHTS: ParityInput[] = [
  randomValues([3, 3, 3, 8], 2), // conv 1
  randomValues([8], 3), // batch norm gamma
  randomValues([8], 4), // batch norm beta
  randomValues([3, 3, 8, 8], 5), // conv 2, stride 2
  randomValues([8, 8], 6), // projector
  randomValues([8, 4], 7),
];

function simclrLoss(images: tf.Tensor, weights: readonly tf.Tensor[]): tf.Scalar {
  const [conv1, gamma, beta, conv2, dense1, dense2] = weights as [
    tf.Tensor4D,
    tf.Tensor,
    tf.Tensor,
    tf.Tensor4D,
    tf.Tensor2D,
    tf.Tensor2D,
  ];
  const encode = (x: tf.Tensor) => {
    const h1 = batchNormTraining(tf.conv2d(x as tf.Tensor4D, conv1, 1, 'same'), gamma, beta, { relu: true });
    const h2 = tf.relu(tf.conv2d(h1 as tf.Tensor4D, conv2, 2, 'same'));
    const z = tf.matMul(tf.relu(tf.matMul(tf.mean(h2, [1, 2]) as tf.Tensor2D, dense1)), dense2);
    return tf.div(z, tf.norm(z, 'euclidean', 1, true));
  };
  const views = [images, tf.mul(tf.reverse(images, 2), 0.8)];
  const z = tf.concat(views.map(encode), 0) as tf.Tensor2D; // [2n, 4]
  const n = images.shape[0] as number;
  const logits = tf.div(tf.matMul(z, z, false, true), 0.5) as tf.Tensor2D; // |logits| ≤ 2
  const positives = tf.gather(
    tf.reshape(logits, [-1]),
    tf.tensor1d(
      Array.from({ length: 2 * n }, (_, i) => i * 2 * n + ((i + n) % (2 * n))),
      'int32',
    ),
  );
  return tf.mean(tf.sub(rowLogSumExp(logits, { bound: 2 }), positives));
}

/** `steps` Adam steps on `backend` from the same weights; the losses and final weights, read asynchronously. */
async function train(backend: string, steps: number): Promise<{ losses: number[]; weights: ParityInput[] }> {
  await tf.setBackend(backend);
  const images = tf.tensor(IMAGES.values, IMAGES.shape);
  const variables = WEIGHTS.map(({ shape, values }) => tf.variable(tf.tensor(values, shape)));
  const optimizer = tf.train.adam(1e-2);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(() => simclrLoss(images, variables), true, variables) as tf.Scalar;
    losses.push((await loss.data())[0] as number);
    loss.dispose();
  }
  const weights = await Promise.all(
    variables.map(async (v) => ({ shape: v.shape, values: Float32Array.from(await v.data()) })),
  );
  optimizer.dispose();
  tf.dispose([images, ...variables]);
  return { losses, weights };
}

describe.skipIf(dawn.gpu === undefined)(
  `webgpu in Node (Dawn)${dawn.reason === undefined ? '' : ` — skipped: ${dawn.reason}`}`,
  () => {
    it(
      'gives a SimCLR-like conv net the gradients cpu gives (1e-4)',
      async () => {
        const compute = (images: tf.Tensor, ...weights: tf.Tensor[]) => {
          const { value, grads } = tf.valueAndGrads((...w: tf.Tensor[]) => simclrLoss(images, w))(weights);
          return [value, ...grads];
        };
        const expected = await runOn('cpu', [IMAGES, ...WEIGHTS], compute);
        const actual = await assertNoTensorLeak('the SimCLR gradients on webgpu', () =>
          runOn('webgpu', [IMAGES, ...WEIGHTS], compute),
        );
        actual.forEach((output, i) => {
          expect(maxRelativeError(output, expected[i] as ParityInput & { values: Float32Array })).toBeLessThan(1e-4);
        });
      },
      COLD_SHADERS_MS,
    );

    it('takes the Adam steps cpu takes: same losses and weights (1e-4), the loss falls', async () => {
      const expected = await train('cpu', 3);
      const actual = await train('webgpu', 3);
      for (const [step, loss] of actual.losses.entries()) {
        expect(Math.abs(loss - (expected.losses[step] as number))).toBeLessThan(
          1e-4 * Math.abs(expected.losses[0] as number),
        );
      }
      expect(actual.losses[2] as number).toBeLessThan(actual.losses[0] as number);
      actual.weights.forEach((weights, i) => {
        expect(
          maxRelativeError(
            weights as ParityInput & { values: Float32Array },
            expected.weights[i] as ParityInput & { values: Float32Array },
          ),
        ).toBeLessThan(1e-4);
      });
    });

    it(
      'runs every training op as cpu does, at small sizes (value and gradients, 1e-3)',
      async () => {
        const failures: string[] = [];
        // The real-step sizes run in Chromium's webgpu (training-ops.browser.test.ts): on lavapipe their
        // shaders cost minutes to compile cold.
        for (const testCase of TRAINING_OP_CASES.filter((c) => c.large !== true)) {
          const compute = valueAndGradients(testCase);
          const expected = await runOn('cpu', testCase.inputs, compute);
          const actual = await runOn('webgpu', testCase.inputs, compute);
          const worst = Math.max(
            ...actual.map((output, i) => maxRelativeError(output, expected[i] as (typeof expected)[number])),
          );
          if (!(worst < 1e-3)) failures.push(`${testCase.name}: ${worst}`);
        }
        expect(failures).toEqual([]);
      },
      COLD_SHADERS_MS,
    );

    it('makes dataSync() of a computed tensor throw, naming await tensor.data()', async () => {
      await tf.setBackend('webgpu');
      const computed = tf.add(tf.range(0, 1000), 1);
      expect(() => computed.dataSync()).toThrow(/no OffscreenCanvas.*await tensor\.data\(\)/);
      expect((await computed.data())[999]).toBe(1000);
      computed.dispose();
    });
  },
);
