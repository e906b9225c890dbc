import { assertNoTensorLeak, createRng, initBackend, type Tensor2D, type Tensor4D, tf } from '@selfsup/backend';
import { createMlpHead, createSmallCnn } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTwoViewMethod } from './two-view-method.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

const encoder = () => createSmallCnn({ widths: [8, 16], strides: [1, 2], seed: 2 });
const head = (inputSize: number, name: string, outputSize = 12) =>
  createMlpHead({ inputSize, hiddenSize: 16, outputSize, layers: 2, seed: 3, name });

describe('createTwoViewMethod', () => {
  it('hands the loss both views’ projections [N, D], row by row, and trains every head', async () => {
    const enc = encoder();
    const projector = head(enc.featureSize, 'projector');
    const predictor = head(12, 'predictor');
    const shapes: number[][] = [];
    const method = createTwoViewMethod({
      id: 'mean-squared',
      encoder: enc,
      projector,
      heads: [predictor],
      loss: (z1, z2) => {
        shapes.push(z1.shape, z2.shape);
        return tf.mean(tf.squaredDifference(predictor.apply(z1, { training: true }), z2));
      },
    });
    expect(method.id).toBe('mean-squared');
    expect(method.viewsPerImage).toBe(2);
    expect(Object.keys(method.modules)).toEqual(['encoder', 'projector', 'predictor']);
    expect(method.trainableVariables).toEqual([
      ...enc.trainableVariables,
      ...projector.trainableVariables,
      ...predictor.trainableVariables,
    ]);
    const batch = tf.randomUniform([6, 28, 28, 1], 0, 1, 'float32', 1) as Tensor4D;
    await assertNoTensorLeak('createTwoViewMethod loss', () => {
      const prepared = method.prepare(batch, createRng(4));
      const { value, grads } = tf.variableGrads(() => method.loss(prepared, { step: 0, totalSteps: 1 }));
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      // The gradient reaches the encoder, the projector and the head the loss applied itself.
      for (const variable of [
        enc.trainableVariables[0],
        projector.trainableVariables[0],
        predictor.trainableVariables[0],
      ]) {
        const gradient = grads[variable?.name ?? ''];
        expect(gradient?.shape, variable?.name).toEqual(variable?.shape);
        const largest = Math.max(...Array.from(gradient?.dataSync() ?? [], Math.abs));
        expect(largest, `${variable?.name} gets a non-zero gradient`).toBeGreaterThan(0);
      }
      tf.dispose([value, ...Object.values(grads), ...prepared.views]);
    });
    expect(shapes).toEqual([
      [6, 12],
      [6, 12],
    ]);
    batch.dispose();
    method.dispose();
    expect(() => projector.trainableVariables[0]?.dataSync()).toThrow();
    expect(() => predictor.trainableVariables[0]?.dataSync()).toThrow();
    enc.dispose();
  });

  it('defaults to id `two-view` and the encoder’s default views', () => {
    const enc = encoder();
    const method = createTwoViewMethod({
      encoder: enc,
      projector: head(enc.featureSize, 'projector'),
      loss: (z1, z2) => tf.mean(tf.squaredDifference(z1, z2)),
    });
    expect(method.id).toBe('two-view');
    const batch = tf.zeros([2, 28, 28, 1]);
    const { views } = method.prepare(batch, createRng(1));
    expect(views.map((view) => view.shape)).toEqual([
      [2, 28, 28, 1],
      [2, 28, 28, 1],
    ]);
    tf.dispose([batch, ...views]);
    method.dispose();
    enc.dispose();
  });

  it('rejects two modules of one name (checkpoints save modules by name)', () => {
    const enc = encoder();
    const projector = head(enc.featureSize, 'projector');
    const twin = head(12, 'projector');
    expect(() =>
      createTwoViewMethod({ encoder: enc, projector, heads: [twin], loss: (z1: Tensor2D) => tf.sum(z1) }),
    ).toThrow("createTwoViewMethod: two modules are named 'projector'");
    for (const module of [projector, twin, enc]) module.dispose();
  });
});
