import { assertNoTensorLeak, createRng, initBackend, type Scalar, type Tensor2D, tf } from '@selfsup/backend';
import { createSmallCnn } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDino, dinoTeacherTemp } from './dino.js';
import { createDinoHead } from './dino-head.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

/** Central differences of `f` in every entry of `variable`, float32 (step h). */
function finiteDifferences(f: () => number, variable: tf.Variable, h: number): number[] {
  const base = Array.from(variable.dataSync());
  const numeric = base.map((value, i) => {
    const at = (x: number) => {
      const values = base.slice();
      values[i] = x;
      tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
      return f();
    };
    return (at(value + h) - at(value - h)) / (2 * h);
  });
  tf.tidy(() => variable.assign(tf.tensor(base, variable.shape)));
  return numeric;
}

describe('createDinoHead', () => {
  it('its gradients match finite differences in every weight (weight-normalized last layer, L2 bottleneck)', () => {
    const head = createDinoHead({ inputSize: 3, hiddenSize: 4, bottleneckSize: 3, outputSize: 5, layers: 2, seed: 1 });
    // Larger starting weights than DINO's 0.02 so float32 differences resolve the first layers.
    tf.tidy(() => {
      for (const v of head.trainableVariables) v.assign(tf.mul(createRng(v.name).normalTensor(v.shape), 0.7));
    });
    const x = createRng(2).normalTensor([4, 3]) as Tensor2D;
    const mix = createRng(3).normalTensor([4, 5]);
    const loss = () => tf.sum(tf.mul(head.apply(x, { training: true }), mix)) as Scalar;
    const { grads } = tf.variableGrads(loss, head.trainableVariables);
    for (const variable of head.trainableVariables) {
      const analytic = Array.from((grads[variable.name] as tf.Tensor).dataSync());
      const numeric = finiteDifferences(() => tf.tidy(() => loss().dataSync()[0] as number), variable, 1e-2);
      const scale = Math.max(...numeric.map(Math.abs), 1e-3);
      const error = Math.max(...analytic.map((a, i) => Math.abs(a - (numeric[i] as number)))) / scale;
      expect(error, variable.name).toBeLessThan(2e-2);
    }
    tf.dispose([x, mix, ...Object.values(grads)]);
    head.dispose();
  });

  it('keeps the last layer’s columns at unit norm: scaling them changes nothing', () => {
    const head = createDinoHead({ inputSize: 3, hiddenSize: 4, bottleneckSize: 3, outputSize: 5, seed: 1 });
    const x = createRng(2).normalTensor([2, 3]) as Tensor2D;
    const before = head.apply(x, { training: false });
    tf.tidy(() => head.lastLayer.assign(tf.mul(head.lastLayer, 7)));
    const after = head.apply(x, { training: false });
    expect(Array.from(after.dataSync())).toEqual(
      Array.from(before.dataSync()).map((v) => expect.closeTo(v, 5) as unknown as number),
    );
    // Rows of unit bottleneck times unit columns: cosine similarities, within [−1, 1].
    expect(Math.max(...Array.from(after.dataSync()).map(Math.abs))).toBeLessThanOrEqual(1 + 1e-6);
    tf.dispose([x, before, after]);
    head.dispose();
  });

  it('rejects sizes that are not positive integers, naming them', () => {
    expect(() => createDinoHead({ inputSize: 3, hiddenSize: 0, bottleneckSize: 3, outputSize: 5 })).toThrow(
      'createDinoHead: hiddenSize must be a positive integer; got 0',
    );
  });
});

describe('dinoTeacherTemp', () => {
  it('rises linearly from the warm-up temperature, then stays at the final one', () => {
    const options = { warmupTeacherTemp: 0.04, teacherTemp: 0.07, teacherTempWarmup: 0.3 };
    // 100 steps: warm-up over steps 0…29 (DINO's np.linspace(0.04, 0.07, 30)).
    expect(dinoTeacherTemp(options, { step: 0, totalSteps: 100 })).toBeCloseTo(0.04, 12);
    expect(dinoTeacherTemp(options, { step: 29, totalSteps: 100 })).toBeCloseTo(0.07, 12);
    expect(dinoTeacherTemp(options, { step: 10, totalSteps: 100 })).toBeCloseTo(0.04 + (0.03 * 10) / 29, 12);
    expect(dinoTeacherTemp(options, { step: 60, totalSteps: 100 })).toBe(0.07);
    expect(dinoTeacherTemp({ ...options, teacherTempWarmup: 0 }, { step: 0, totalSteps: 100 })).toBe(0.07);
  });
});

describe('createDino', () => {
  const encoder = () => createSmallCnn({ inputShape: [12, 12, 1], widths: [4, 8], strides: [1, 2], seed: 1 });
  const images = () => createRng(4).uniformTensor([4, 12, 12, 1]);
  const small = { hiddenSize: 8, bottleneckSize: 4, outputSize: 16, seed: 2 };

  it('trains the student only, the last layer not while frozen, and centers with the teacher’s outputs', () => {
    const enc = encoder();
    const objective = createDino({ encoder: enc, ...small, freezeLastLayer: 0.5, centerMomentum: 0.9 });
    const batch = images();
    const prepared = objective.prepare(batch, createRng(5));
    expect(prepared.views.length).toBe(8); // 2 global + 6 local crops
    const teacher = objective.modules.teacher_head as ReturnType<typeof createDinoHead>;
    const head = objective.modules.head as ReturnType<typeof createDinoHead>;
    const gradientOf = (step: number) => {
      const { value, grads } = tf.variableGrads(
        () => objective.loss(prepared, { step, totalSteps: 10 }),
        [...objective.trainableVariables, ...teacher.trainableVariables],
      );
      const norms = Object.fromEntries(
        Object.entries(grads).map(([name, g]) => [name, tf.tidy(() => tf.norm(g).dataSync()[0] as number)]),
      );
      tf.dispose([value, ...Object.values(grads)]);
      return norms;
    };
    const frozen = gradientOf(0);
    expect(frozen[head.lastLayer.name]).toBe(0);
    for (const v of teacher.trainableVariables) expect(frozen[v.name] ?? 0).toBe(0);
    expect(frozen[enc.trainableVariables[0]?.name as string]).toBeGreaterThan(0);
    const trained = gradientOf(5);
    expect(trained[head.lastLayer.name]).toBeGreaterThan(0);

    // After the step the center moves 10 % of the way to the mean teacher output of the last loss.
    const teacherMean = tf.tidy(() => {
      const views = prepared.views.slice(0, 2);
      const out = teacher.apply(
        (objective.modules.teacher_encoder as typeof enc).apply(tf.concat(views, 0), { training: true }),
        { training: true },
      );
      return Array.from(tf.mean(out, 0).dataSync());
    });
    objective.afterStep?.({ step: 5, totalSteps: 10 });
    const center = objective.center();
    Array.from(center.dataSync()).forEach((c, k) => {
      expect(c).toBeCloseTo(0.1 * (teacherMean[k] as number), 5);
    });
    tf.dispose([center, batch, ...prepared.views]);
    objective.dispose();
    enc.dispose();
  });

  it('restores its center from getState and rejects a state without one', () => {
    const enc = encoder();
    const objective = createDino({ encoder: enc, ...small });
    const state = { dino_center: tf.range(0, 16).toFloat() };
    objective.setState?.(state);
    const back = objective.getState?.() ?? {};
    expect(Array.from(back.dino_center?.dataSync() ?? [])).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(() => objective.setState?.({})).toThrow('dino: the checkpoint has no dino_center');
    tf.dispose([state.dino_center, ...Object.values(back)]);
    objective.dispose();
    enc.dispose();
  });

  it('leaks no tensor over a step and after dispose, and needs 2 views at least', async () => {
    const batch = images();
    await assertNoTensorLeak('a DINO step', () => {
      const enc = encoder();
      const objective = createDino({ encoder: enc, ...small });
      const prepared = objective.prepare(batch, createRng(5));
      objective.loss(prepared, { step: 0, totalSteps: 4 }).dispose();
      objective.afterStep?.({ step: 0, totalSteps: 4 });
      expect(() => objective.loss({ views: prepared.views.slice(0, 1) }, { step: 0, totalSteps: 4 })).toThrow(
        'dino: needs at least 2 views (2 global first, then local ones); got 1',
      );
      tf.dispose(prepared.views);
      objective.dispose();
      enc.dispose();
    });
    batch.dispose();
  });
});
