import { assertNoTensorLeak, createRng, initBackend, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLinearClassifier, createPredictorHead, createProjectionHead } from './heads.js';
import { FASHION_MNIST_NORMALIZATION } from './input-normalization.js';
import type { Encoder, Module } from './module.js';
import { patchify, unpatchify } from './patches.js';
import { createResNet18 } from './resnet18.js';
import { createSmallCnn } from './small-cnn.js';
import { createVitTiny } from './vit-tiny.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

function parameterCount(module: Module): number {
  return module.trainableVariables.reduce((total, v) => total + v.size, 0);
}

/** A few Adam steps of a regression of the features onto fixed random targets. */
function trainSteps(encoder: Encoder, inputs: Tensor, steps: number): number[] {
  const targets = createRng(9).normalTensor([inputs.shape[0] as number, encoder.featureSize]);
  const optimizer = tf.train.adam(1e-2);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const loss = optimizer.minimize(
      () => tf.losses.meanSquaredError(targets, encoder.apply(inputs, { training: true })) as tf.Scalar,
      true,
      encoder.trainableVariables,
    );
    losses.push((loss as tf.Scalar).dataSync()[0] as number);
    loss?.dispose();
  }
  targets.dispose();
  optimizer.dispose();
  return losses;
}

describe('small CNN (the reference encoder of the benchmarks)', () => {
  it('has the reference net’s 240,608 parameters and 128 features', () => {
    const encoder = createSmallCnn();
    expect(parameterCount(encoder)).toBe(240_608);
    expect(encoder.featureSize).toBe(128);
    const features = tf.tidy(() => encoder.apply(tf.zeros([3, 28, 28, 1]), { training: false }));
    expect(features.shape).toEqual([3, 128]);
    features.dispose();
    encoder.dispose();
  });

  it('trains, updates running statistics, and leaks nothing', async () => {
    const encoder = createSmallCnn({ normalization: FASHION_MNIST_NORMALIZATION, seed: 3 });
    const inputs = createRng(4).uniformTensor([16, 28, 28, 1]);
    const before = Array.from(encoder.stateVariables[0]?.dataSync() ?? []);
    const losses = trainSteps(encoder, inputs, 8);
    expect(losses[losses.length - 1]).toBeLessThan((losses[0] as number) * 0.7);
    expect(Array.from(encoder.stateVariables[0]?.dataSync() ?? [])).not.toEqual(before);
    await assertNoTensorLeak('smallCnn.apply', () => encoder.apply(inputs, { training: true }));
    await assertNoTensorLeak('smallCnn.apply eval', () => encoder.apply(inputs, { training: false }));
    inputs.dispose();
    encoder.dispose();
  });

  it('is deterministic per seed and rejects bad inputs and options', () => {
    const a = createSmallCnn({ seed: 5 });
    const b = createSmallCnn({ seed: 5 });
    const c = createSmallCnn({ seed: 6 });
    expect(Array.from(a.trainableVariables[0]?.dataSync() ?? [])).toEqual(
      Array.from(b.trainableVariables[0]?.dataSync() ?? []),
    );
    expect(Array.from(a.trainableVariables[0]?.dataSync() ?? [])).not.toEqual(
      Array.from(c.trainableVariables[0]?.dataSync() ?? []),
    );
    expect(() => tf.tidy(() => a.apply(tf.zeros([2, 32, 32, 3]), { training: false }))).toThrow(
      'small_cnn: expected inputs [batch, 28, 28, 1], got [2, 32, 32, 3]',
    );
    expect(() => createSmallCnn({ widths: [8, 8], strides: [1] })).toThrow(/equal length/);
    expect(() => createSmallCnn({ normalization: { mean: [0.5, 0.5], std: [1, 1] } })).toThrow(
      /needs 1 mean and std values/,
    );
    for (const m of [a, b, c]) m.dispose();
  });
});

describe('weight initialization', () => {
  /** Largest |w| and the standard deviation of a variable's values. */
  function spread(variable: Tensor): { max: number; std: number } {
    const values = Array.from(variable.dataSync());
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    return { max: Math.max(...values.map(Math.abs)), std: Math.sqrt(variance) };
  }

  it('fan-in-uniform draws conv and linear weights and biases from U(±1/√fan_in), as PyTorch does', () => {
    const encoder = createSmallCnn({ weightInit: 'fan-in-uniform', seed: 3 });
    const head = createProjectionHead({
      inputSize: 128,
      hiddenSize: 128,
      outputSize: 64,
      batchNorm: false,
      weightInit: 'fan-in-uniform',
    });
    const byName = (m: Module, part: string) => m.trainableVariables.find((v) => v.name.includes(part)) as Tensor;
    const conv2 = spread(byName(encoder, 'block2/conv/kernel')); // fan_in 3·3·32 = 288
    expect(conv2.max).toBeLessThanOrEqual(1 / Math.sqrt(288));
    expect(conv2.std).toBeCloseTo(1 / Math.sqrt(3 * 288), 3); // std of U(±a) is a/√3
    const bias = spread(byName(head, 'linear1/bias'));
    expect(bias.max).toBeLessThanOrEqual(1 / Math.sqrt(128));
    expect(bias.std).toBeGreaterThan(0.5 / Math.sqrt(3 * 128));
    // The default stays He-normal: std √(2/fan_in), ≈2.4× the PyTorch default's.
    const he = createSmallCnn({ seed: 3 });
    expect(spread(byName(he, 'block2/conv/kernel')).std).toBeCloseTo(Math.sqrt(2 / 288), 2);
    const heHead = createProjectionHead({ inputSize: 4, hiddenSize: 4, outputSize: 2, batchNorm: false });
    expect(Array.from(byName(heHead, 'linear1/bias').dataSync())).toEqual([0, 0, 0, 0]);
    for (const m of [encoder, head, he, heHead]) m.dispose();
  });
});

describe('ResNet-18 (CIFAR stem)', () => {
  it('has 11.17M parameters at width 1 and 512·w features', () => {
    const full = createResNet18();
    expect(parameterCount(full)).toBe(11_168_832);
    full.dispose();
    const half = createResNet18({ width: 0.5, inputShape: [16, 16, 3] });
    expect(parameterCount(half)).toBe(2_795_040);
    expect(half.featureSize).toBe(256);
    const features = tf.tidy(() => half.apply(createRng(1).uniformTensor([2, 16, 16, 3]), { training: true }));
    expect(features.shape).toEqual([2, 256]);
    features.dispose();
    half.dispose();
  });

  it('trains at a small width without leaking', async () => {
    const encoder = createResNet18({ width: 0.125, inputShape: [16, 16, 3], seed: 2 });
    const inputs = createRng(7).uniformTensor([8, 16, 16, 3]);
    const losses = trainSteps(encoder, inputs, 6);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] as number);
    await assertNoTensorLeak('resnet18.apply', () => encoder.apply(inputs, { training: true }));
    inputs.dispose();
    encoder.dispose();
  });
});

describe('ViT-tiny', () => {
  it('has ViT-tiny’s parameter count for 32×32×3 with 4×4 patches', () => {
    const vit = createVitTiny();
    expect(parameterCount(vit)).toBe(5_360_832);
    expect(vit.numPatches).toBe(64);
    vit.dispose();
  });

  it('trains a small configuration, returns the class token, and leaks nothing', async () => {
    const vit = createVitTiny({ inputShape: [28, 28, 1], patchSize: 7, dim: 32, depth: 2, heads: 4, seed: 1 });
    const inputs = createRng(3).uniformTensor([4, 28, 28, 1]);
    const losses = trainSteps(vit, inputs, 8);
    expect(losses[losses.length - 1]).toBeLessThan((losses[0] as number) * 0.8);
    const tokens = tf.tidy(() => vit.encodeTokens(vit.embedPatches(inputs), { training: false }));
    expect(tokens.shape).toEqual([4, 17, 32]);
    const features = tf.tidy(() => vit.apply(inputs, { training: false }));
    expect(Array.from(features.dataSync())).toEqual(
      Array.from(tf.tidy(() => tokens.slice([0, 0, 0], [4, 1, 32]).reshape([4, 32])).dataSync()),
    );
    await assertNoTensorLeak('vit.apply', () => vit.apply(inputs, { training: true }));
    tf.dispose([tokens, features, inputs]);
    vit.dispose();
  });

  it('pools the mean patch token when asked, records it in its config, and leaks nothing', async () => {
    const options = { inputShape: [28, 28, 1] as [number, number, number], patchSize: 7, dim: 16, depth: 1, heads: 2 };
    const vit = createVitTiny({ ...options, pooling: 'mean-patch-tokens', seed: 4 });
    const inputs = createRng(5).uniformTensor([3, 28, 28, 1]);
    const tokens = tf.tidy(() => vit.encodeTokens(vit.embedPatches(inputs), { training: false }));
    const expected = tf.tidy(() => tokens.slice([0, 1, 0], [3, 16, 16]).mean(1));
    const features = tf.tidy(() => vit.apply(inputs, { training: false }));
    expect(features.shape).toEqual([3, 16]);
    const got = Array.from(features.dataSync());
    for (const [i, value] of Array.from(expected.dataSync()).entries()) expect(got[i]).toBeCloseTo(value, 6);
    // The class token is a different vector: the option changes what is pooled.
    const classToken = tf.tidy(() => tokens.slice([0, 0, 0], [3, 1, 16]).reshape([3, 16]));
    expect(Math.abs((classToken.dataSync()[0] as number) - (got[0] as number))).toBeGreaterThan(1e-4);
    expect(vit.config.options).toMatchObject({ pooling: 'mean-patch-tokens' });
    await assertNoTensorLeak('vit.apply (mean-patch-tokens)', () => vit.apply(inputs, { training: true }));
    expect(() => createVitTiny({ ...options, pooling: 'max' as never })).toThrow(/pooling 'max' is not known/);
    tf.dispose([tokens, expected, features, classToken, inputs]);
    vit.dispose();
  });
  it('patchify and unpatchify are inverse', () => {
    const images = createRng(2).uniformTensor([2, 8, 12, 3]) as tf.Tensor4D;
    const patches = patchify(images, 4);
    expect(patches.shape).toEqual([2, 6, 48]);
    // The second patch of the first image is rows 0–3, columns 4–7.
    expect(Array.from(patches.slice([0, 1, 0], [1, 1, 3]).dataSync())).toEqual(
      Array.from(images.slice([0, 0, 4, 0], [1, 1, 1, 3]).dataSync()),
    );
    const back = unpatchify(patches, 4, 2, 3, 3);
    expect(Array.from(back.dataSync())).toEqual(Array.from(images.dataSync()));
    tf.dispose([images, patches, back]);
  });
});

describe('heads', () => {
  it('projection, predictor and linear heads map [N, in] to [N, out]', async () => {
    const features = createRng(1).normalTensor([6, 16]) as Tensor2D;
    for (const head of [
      createProjectionHead({ inputSize: 16, hiddenSize: 32, outputSize: 8 }),
      createProjectionHead({ inputSize: 16, hiddenSize: 32, outputSize: 8, layers: 3, batchNorm: false }),
      createPredictorHead({ inputSize: 16, hiddenSize: 32, outputSize: 8 }),
      createLinearClassifier({ inputSize: 16, classes: 8 }),
    ]) {
      const out = await assertNoTensorLeak(head.name, () => head.apply(features, { training: true }));
      expect(out.shape).toEqual([6, 8]);
      head.dispose();
    }
    features.dispose();
  });
});
