import { assertNoTensorLeak, createRng, initBackend, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { createSmallCnn } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { createNnclr, nearestInSupport, nnclrLoss } from './nnclr.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

const rows = (seed: number, n: number, d: number) => createRng(seed).normalTensor([n, d]) as Tensor2D;

describe('nearestInSupport and nnclrLoss', () => {
  it('pick the most cosine-similar support row (found here by brute force in plain JavaScript)', () => {
    const z = rows(1, 4, 3);
    const support = rows(2, 7, 3);
    const cosine = (a: number[], b: number[]) =>
      a.reduce((s, v, i) => s + v * (b[i] as number), 0) / Math.hypot(...a) / Math.hypot(...b);
    const supportRows = support.arraySync();
    const expected = z.arraySync().map((q) => {
      const scores = supportRows.map((s) => cosine(q, s));
      return supportRows[scores.indexOf(Math.max(...scores))];
    });
    const nn = nearestInSupport(z, support);
    expect(nn.arraySync()).toEqual(expected);
    tf.dispose([z, support, nn]);
  });

  it('is the cross-entropy of the diagonal of cosine logits, and its gradients in the predictions match finite differences', () => {
    const positives = rows(3, 3, 4);
    const predictions = rows(4, 3, 4);
    const unit = (m: number[][]) => m.map((r) => r.map((v) => v / Math.hypot(...r)));
    const [a, b] = [unit(positives.arraySync()), unit(predictions.arraySync())];
    let sum = 0;
    a.forEach((ai, i) => {
      const logits = b.map((bk) => bk.reduce((s, v, c) => s + v * (ai[c] as number), 0) / 0.1);
      const max = Math.max(...logits);
      sum += Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0)) + max - (logits[i] as number);
    });
    const loss = nnclrLoss(positives, predictions, 0.1);
    expect(loss.dataSync()[0]).toBeCloseTo(sum / 3, 4);

    const [gradient] = tf.grads((p: Tensor) => nnclrLoss(positives, p as Tensor2D, 0.5))([predictions]);
    const base = Array.from(predictions.dataSync());
    const h = 1e-2;
    const at = (values: number[]) =>
      tf.tidy(() => nnclrLoss(positives, tf.tensor2d(values, [3, 4]), 0.5).dataSync()[0] as number);
    const numeric = base.map((v, i) => {
      const plus = base.slice();
      plus[i] = v + h;
      const minus = base.slice();
      minus[i] = v - h;
      return (at(plus) - at(minus)) / (2 * h);
    });
    const got = Array.from((gradient as Tensor).dataSync());
    const scale = Math.max(...numeric.map(Math.abs));
    expect(Math.max(...got.map((g, i) => Math.abs(g - (numeric[i] as number)))) / scale).toBeLessThan(2e-2);
    tf.dispose([positives, predictions, loss, gradient as Tensor]);
  });
});

describe('createNnclr', () => {
  it('fills its support set with the first view’s unit projections, restores it, and leaks nothing', async () => {
    const batch = createRng(4).uniformTensor([4, 12, 12, 1]);
    await assertNoTensorLeak('NNCLR steps', () => {
      const enc = createSmallCnn({ inputShape: [12, 12, 1], widths: [4, 8], strides: [1, 2], seed: 1 });
      const objective = createNnclr({ encoder: enc, hiddenSize: 8, outputSize: 4, supportSize: 6, seed: 2 });
      const prepared = objective.prepare(batch, createRng(5));
      for (const step of [0, 1]) {
        const { value, grads } = tf.variableGrads(
          () => objective.loss(prepared, { step, totalSteps: 2 }),
          objective.trainableVariables,
        );
        expect(Number.isFinite(value.dataSync()[0])).toBe(true);
        tf.dispose([value, ...Object.values(grads)]);
        objective.afterStep?.({ step, totalSteps: 2 });
      }
      expect(objective.support.filled).toBe(6); // 4 + 4 rows into 6 slots
      const norms = tf.tidy(() => Array.from(tf.norm(objective.support.keys(), 'euclidean', 1).dataSync()));
      for (const n of norms) expect(n).toBeCloseTo(1, 5);
      const state = objective.getState?.() ?? {};
      const copy = createNnclr({ encoder: enc, hiddenSize: 8, outputSize: 4, supportSize: 6, seed: 2 });
      copy.setState?.(state);
      expect(copy.support.state()).toEqual(objective.support.state());
      expect(() => copy.setState?.({})).toThrow('nnclr: the checkpoint has no support set');
      tf.dispose([...prepared.views, ...Object.values(state)]);
      copy.dispose();
      objective.dispose();
      enc.dispose();
    });
    batch.dispose();
  });
});
