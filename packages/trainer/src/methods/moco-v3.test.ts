import { assertNoTensorLeak, createRng, initBackend, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { createSmallCnn, createVitTiny, parameterName } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMocoV3, mocoV3Contrastive } from './moco-v3.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

const rows = (seed: number, n: number, d: number) => createRng(seed).normalTensor([n, d]) as Tensor2D;

describe('mocoV3Contrastive', () => {
  it('is 2τ times the cross-entropy of the diagonal of cosine logits (computed here in plain JavaScript)', () => {
    const q = rows(1, 3, 4);
    const k = rows(2, 3, 4);
    const unit = (m: number[][]) => m.map((r) => r.map((v) => v / Math.hypot(...r)));
    const [uq, uk] = [unit(q.arraySync()), unit(k.arraySync())];
    const tau = 0.2;
    let sum = 0;
    uq.forEach((qi, i) => {
      const logits = uk.map((kj) => kj.reduce((a, v, c) => a + v * (qi[c] as number), 0) / tau);
      const max = Math.max(...logits);
      const logZ = Math.log(logits.reduce((a, l) => a + Math.exp(l - max), 0)) + max;
      sum += logZ - (logits[i] as number);
    });
    const expected = (2 * tau * sum) / 3;
    const loss = mocoV3Contrastive(q, k, tau);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose([q, k, loss]);
  });

  it('its gradients match finite differences in queries and keys', () => {
    const inputs = [rows(3, 4, 3), rows(4, 4, 3)];
    const analytic = tf.grads((a: Tensor, b: Tensor) => mocoV3Contrastive(a as Tensor2D, b as Tensor2D, 0.5))(inputs);
    const h = 1e-2;
    inputs.forEach((input, index) => {
      const base = Array.from(input.dataSync());
      const at = (values: number[]) =>
        tf.tidy(() => {
          const xs = inputs.map((x, i) => (i === index ? tf.tensor2d(values, x.shape) : x)) as [Tensor2D, Tensor2D];
          return mocoV3Contrastive(xs[0], xs[1], 0.5).dataSync()[0] as number;
        });
      const numeric = base.map((v, i) => {
        const plus = base.slice();
        plus[i] = v + h;
        const minus = base.slice();
        minus[i] = v - h;
        return (at(plus) - at(minus)) / (2 * h);
      });
      const got = Array.from((analytic[index] as Tensor).dataSync());
      const scale = Math.max(...numeric.map(Math.abs));
      expect(Math.max(...got.map((g, i) => Math.abs(g - (numeric[i] as number)))) / scale).toBeLessThan(2e-2);
    });
    tf.dispose([...inputs, ...analytic]);
  });

  it('rejects mismatched shapes and a non-positive temperature, naming them', () => {
    const [a, b] = [rows(1, 3, 4), rows(2, 2, 4)];
    expect(() => mocoV3Contrastive(a, b, 0.2)).toThrow(
      'queries and keys must be [N, D] of one shape; got [3,4] and [2,4]',
    );
    expect(() => mocoV3Contrastive(a, a, 0)).toThrow('mocoV3Contrastive: temperature must be positive; got 0');
    tf.dispose([a, b]);
  });
});

describe('createMocoV3', () => {
  it('keeps a ViT’s patch projection frozen (out of the trained variables) and trains the rest', () => {
    const vit = createVitTiny({ inputShape: [8, 8, 1], patchSize: 4, dim: 8, depth: 1, heads: 2, seed: 1 });
    const objective = createMocoV3({ encoder: vit, hiddenSize: 8, outputSize: 4, seed: 2 });
    const names = objective.trainableVariables.map(parameterName);
    expect(names.some((n) => n.includes('/patch_embedding/'))).toBe(false);
    expect(names.some((n) => n.includes('/class_token'))).toBe(true);
    const unfrozen = createMocoV3({
      encoder: vit,
      hiddenSize: 8,
      outputSize: 4,
      seed: 2,
      freezePatchProjection: false,
    });
    expect(unfrozen.trainableVariables.length - objective.trainableVariables.length).toBe(2); // kernel and bias
    unfrozen.dispose();
    objective.dispose();
    vit.dispose();
  });

  it('leaks no tensor over a step and its EMA update', async () => {
    const batch = createRng(4).uniformTensor([4, 12, 12, 1]);
    await assertNoTensorLeak('a MoCo v3 step', () => {
      const enc = createSmallCnn({ inputShape: [12, 12, 1], widths: [4, 8], strides: [1, 2], seed: 1 });
      const objective = createMocoV3({ encoder: enc, hiddenSize: 8, outputSize: 4, seed: 2 });
      const prepared = objective.prepare(batch, createRng(5));
      const { value, grads } = tf.variableGrads(
        () => objective.loss(prepared, { step: 0, totalSteps: 2 }),
        objective.trainableVariables,
      );
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      tf.dispose([value, ...Object.values(grads)]);
      objective.afterStep?.({ step: 0, totalSteps: 2 });
      tf.dispose(prepared.views);
      objective.dispose();
      enc.dispose();
    });
    batch.dispose();
  });
});
