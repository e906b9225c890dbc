import { assertNoTensorLeak, createRng, initBackend, type Tensor, type Tensor2D, tf } from '@selfsup/backend';
import { sinkhornKnopp, swav } from '@selfsup/losses';
import { createSmallCnn } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSwav, swavQueuedLoss } from './swav.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

const options = { temperature: 0.1, sinkhornIterations: 3, epsilon: 0.05 };
const matrix = (seed: number, rows: number, cols: number, scale = 1) =>
  tf.tidy(() => tf.mul(createRng(seed).normalTensor([rows, cols]), scale) as Tensor2D);

describe('swavQueuedLoss', () => {
  it('without a queue is the swav loss of @selfsup/losses (multi-crop, 2 assignment views)', () => {
    const views = [1, 2, 3, 4].map((seed) => matrix(seed, 6, 5));
    const ours = swavQueuedLoss(views, [undefined, undefined], options);
    const reference = swav(views, { ...options, assignmentViews: 2 });
    expect(ours.dataSync()[0]).toBeCloseTo(reference.dataSync()[0] as number, 5);
    tf.dispose([...views, ours, reference]);
  });

  it('with a queue, the codes are the batch rows of Sinkhorn-Knopp over queue and batch together', () => {
    const views = [1, 2].map((seed) => matrix(seed, 3, 4));
    const queue = matrix(9, 5, 4);
    const withQueue = swavQueuedLoss(views, [queue, undefined], options).dataSync()[0] as number;
    const without = swavQueuedLoss(views, [undefined, undefined], options).dataSync()[0] as number;
    expect(withQueue).not.toBeCloseTo(without, 3);
    // Independently: codes by plain Sinkhorn-Knopp in JavaScript over the 8 rows, then the cross-entropy.
    const rowsOf = (t: Tensor) => t.arraySync() as number[][];
    const sinkhorn = (scores: number[][]) => {
      let q = scores.map((row) => row.map((s) => Math.exp(s / options.epsilon)));
      const total = q.flat().reduce((a, b) => a + b, 0);
      q = q.map((row) => row.map((v) => v / total));
      const [rows, cols] = [q.length, (q[0] as number[]).length];
      for (let i = 0; i < 3; i++) {
        const colSums = Array.from({ length: cols }, (_, k) => q.reduce((a, row) => a + (row[k] as number), 0));
        q = q.map((row) => row.map((v, k) => v / (colSums[k] as number) / cols));
        q = q.map((row) => {
          const sum = row.reduce((a, b) => a + b, 0);
          return row.map((v) => v / sum / rows);
        });
      }
      return q.map((row) => row.map((v) => v * rows));
    };
    const logSoftmax = (row: number[]) => {
      const scaled = row.map((v) => v / options.temperature);
      const max = Math.max(...scaled);
      const log = Math.log(scaled.reduce((a, v) => a + Math.exp(v - max), 0)) + max;
      return scaled.map((v) => v - log);
    };
    const crossEntropy = (codes: number[][], scores: number[][]) =>
      -codes.reduce(
        (a, q, n) => a + q.reduce((b, v, k) => b + v * (logSoftmax(scores[n] as number[])[k] as number), 0),
        0,
      ) / codes.length;
    const [s1, s2] = views.map(rowsOf) as [number[][], number[][]];
    const codes1 = sinkhorn([...rowsOf(queue), ...s1]).slice(5);
    const codes2 = sinkhorn(s2);
    const expected = (crossEntropy(codes1, s2) + crossEntropy(codes2, s1)) / 2;
    expect(withQueue).toBeCloseTo(expected, 4);
    tf.dispose([...views, queue]);
  });

  it('its gradients match finite differences with the codes held constant (SwAV backpropagates through the predictions only)', () => {
    const inputs = [1, 2, 3].map((seed) => matrix(seed, 4, 5, 0.3));
    const queue = matrix(7, 6, 5, 0.3);
    const analytic = tf.grads((...xs: Tensor[]) => swavQueuedLoss(xs as Tensor2D[], [queue, queue], options))(inputs);
    // The codes at the evaluation point, computed once and then held fixed.
    const codes = inputs
      .slice(0, 2)
      .map((x) =>
        tf.tidy(() =>
          tf.slice(
            sinkhornKnopp(tf.concat([queue, x], 0) as Tensor2D, { iterations: 3, epsilon: 0.05 }),
            [6, 0],
            [4, -1],
          ),
        ),
      );
    const fixedCodesLoss = (xs: Tensor2D[]) =>
      tf.tidy(() => {
        const perAssignment = codes.map((q, a) => {
          const terms = xs
            .filter((_, v) => v !== a)
            .map((x) => tf.neg(tf.mean(tf.sum(tf.mul(q, tf.logSoftmax(tf.div(x, options.temperature))), 1))));
          return tf.div(tf.addN(terms), terms.length);
        });
        return tf.div(tf.addN(perAssignment), perAssignment.length).dataSync()[0] as number;
      });
    const h = 1e-2;
    for (const [index, input] of inputs.entries()) {
      const base = Array.from(input.dataSync());
      const at = (values: number[]) =>
        tf.tidy(() =>
          fixedCodesLoss(inputs.map((x, i) => (i === index ? tf.tensor2d(values, x.shape) : x)) as Tensor2D[]),
        );
      const numeric = base.map((v, i) => {
        const plus = base.slice();
        plus[i] = v + h;
        const minus = base.slice();
        minus[i] = v - h;
        return (at(plus) - at(minus)) / (2 * h);
      });
      const got = Array.from((analytic[index] as Tensor).dataSync());
      const scale = Math.max(...numeric.map(Math.abs));
      const error = Math.max(...got.map((g, i) => Math.abs(g - (numeric[i] as number)))) / scale;
      expect(error, `view ${index}`).toBeLessThan(2e-2);
    }
    tf.dispose([...inputs, queue, ...analytic, ...codes]);
  });
});

describe('createSwav', () => {
  const encoder = () => createSmallCnn({ inputShape: [12, 12, 1], widths: [4, 8], strides: [1, 2], seed: 1 });
  const images = () => createRng(4).uniformTensor([4, 12, 12, 1]);
  // ε = 0.1: codes soft enough for a queue to change them visibly.
  const small = { hiddenSize: 8, outputSize: 6, prototypes: 10, seed: 2, epsilon: 0.1 };

  it('keeps unit prototypes, freezes them first, and fills then uses the queue', () => {
    const enc = encoder();
    const objective = createSwav({ encoder: enc, ...small, queueSize: 8, queueStart: 0, freezePrototypes: 0.5 });
    const batch = images();
    const prepared = objective.prepare(batch, createRng(5));
    expect(prepared.views.length).toBe(8); // 2 global + 6 local crops
    const prototypes = objective.modules.prototypes?.trainableVariables[0] as tf.Variable;
    const columnNorms = () => tf.tidy(() => Array.from(tf.norm(prototypes, 'euclidean', 0).dataSync()));
    for (const n of columnNorms()) expect(n).toBeCloseTo(1, 5);
    // The queue fills from other images (a queue of the batch's own rows would not change its codes).
    const otherImages = createRng(6).uniformTensor([4, 12, 12, 1]);
    const filling = objective.prepare(otherImages, createRng(7));
    const step = (index: number) => {
      const { value, grads } = tf.variableGrads(
        () => objective.loss(filling, { step: index, totalSteps: 10 }),
        objective.trainableVariables,
      );
      const loss = value.dataSync()[0] as number;
      const norm = tf.tidy(() => tf.norm(grads[prototypes.name] as Tensor).dataSync()[0] as number);
      // A plain SGD step on the prototypes, then afterStep renormalizes them and fills the queue.
      tf.tidy(() => prototypes.assign(tf.sub(prototypes, tf.mul(grads[prototypes.name] as Tensor, 10))));
      objective.afterStep?.({ step: index, totalSteps: 10 });
      tf.dispose([value, ...Object.values(grads)]);
      return { loss, norm };
    };
    expect(step(0).norm).toBe(0); // frozen: steps 0…4
    expect(objective.queues.map((q) => q.filled)).toEqual([4, 4]);
    const beforeFull = step(5);
    expect(beforeFull.norm).toBeGreaterThan(0);
    for (const n of columnNorms()) expect(n).toBeCloseTo(1, 5);
    expect(objective.queues.map((q) => q.filled)).toEqual([8, 8]);
    // Now full: the same step's loss changes, as the codes come from queue and batch together.
    const withQueue = tf.tidy(() => objective.loss(prepared, { step: 6, totalSteps: 10 }).dataSync()[0] as number);
    const noQueue = createSwav({ encoder: enc, ...small, queueSize: 0 });
    tf.tidy(() => {
      // The encoder is shared; copy the heads.
      for (const name of ['projector', 'prototypes']) {
        const module = noQueue.modules[name] as (typeof noQueue.modules)[string];
        module.trainableVariables.forEach((v, i) => {
          v.assign(objective.modules[name]?.trainableVariables[i] as tf.Variable);
        });
      }
    });
    const without = tf.tidy(() => noQueue.loss(prepared, { step: 6, totalSteps: 10 }).dataSync()[0] as number);
    expect(withQueue).not.toBeCloseTo(without, 4);
    tf.dispose([batch, otherImages, ...prepared.views, ...filling.views]);
    noQueue.dispose();
    objective.dispose();
    enc.dispose();
  });

  it('saves and restores its queues, and rejects a state without them', () => {
    const enc = encoder();
    const objective = createSwav({ encoder: enc, ...small, queueSize: 8, queueStart: 0 });
    const batch = images();
    const prepared = objective.prepare(batch, createRng(5));
    objective.loss(prepared, { step: 0, totalSteps: 4 }).dispose();
    objective.afterStep?.({ step: 0, totalSteps: 4 });
    const state = objective.getState?.() ?? {};
    const copy = createSwav({ encoder: enc, ...small, queueSize: 8, queueStart: 0 });
    copy.setState?.(state);
    expect(copy.queues.map((q) => q.state())).toEqual(objective.queues.map((q) => q.state()));
    expect(() => copy.setState?.({})).toThrow('swav: the checkpoint has no queue state');
    tf.dispose([batch, ...prepared.views, ...Object.values(state)]);
    copy.dispose();
    objective.dispose();
    enc.dispose();
  });

  it('leaks no tensor over steps and after dispose, and needs 2 views at least', async () => {
    const batch = images();
    await assertNoTensorLeak('a SwAV step', () => {
      const enc = encoder();
      const objective = createSwav({ encoder: enc, ...small, queueSize: 4, queueStart: 0 });
      const prepared = objective.prepare(batch, createRng(5));
      for (const step of [0, 1]) {
        objective.loss(prepared, { step, totalSteps: 4 }).dispose();
        objective.afterStep?.({ step, totalSteps: 4 });
      }
      expect(() => objective.loss({ views: prepared.views.slice(0, 1) }, { step: 2, totalSteps: 4 })).toThrow(
        'swav: needs at least 2 views (2 global first, then local ones); got 1',
      );
      tf.dispose(prepared.views);
      objective.dispose();
      enc.dispose();
    });
    batch.dispose();
  });
});
