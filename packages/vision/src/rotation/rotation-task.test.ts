import { assertNoTensorLeak, createRng, initBackend, readScalars, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { rotate90 } from './rotate90.js';
import { rotationTask } from './rotation-task.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('rotate90', () => {
  it('turns counter-clockwise like numpy.rot90', () => {
    // [[1, 2], [3, 4]] rotated 90° CCW is [[2, 4], [1, 3]].
    const image = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(Array.from(rotate90(image, 1).dataSync())).toEqual([2, 4, 1, 3]);
    expect(Array.from(rotate90(image, 2).dataSync())).toEqual([4, 3, 2, 1]);
    expect(Array.from(rotate90(image, 3).dataSync())).toEqual([3, 1, 4, 2]);
    expect(Array.from(rotate90(image, -1).dataSync())).toEqual([3, 1, 4, 2]);
    image.dispose();
  });
});

describe('rotation task', () => {
  it('labels are correct by construction: un-rotating each input by its label restores the image', () => {
    const images = createRng(1).uniformTensor([3, 5, 5, 2]) as Tensor4D;
    const task = rotationTask();
    const batch = task.makeBatch(images, { rng: createRng(0), training: true });
    expect(batch.inputs.shape).toEqual([12, 5, 5, 2]);
    const labels = Array.from(batch.targets.dataSync());
    expect(labels).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    for (let row = 0; row < 12; row++) {
      const restored = tf.tidy(() =>
        rotate90(batch.inputs.slice([row, 0, 0, 0], [1, 5, 5, 2]) as Tensor4D, -(labels[row] as number)),
      );
      const original = images.slice([row % 3, 0, 0, 0], [1, 5, 5, 2]);
      expect(Array.from(restored.dataSync())).toEqual(Array.from(original.dataSync()));
      tf.dispose([restored, original]);
    }
    tf.dispose([images, batch.inputs, batch.targets]);
  });

  it('computes its loss and accuracy, leaks nothing, and rejects non-square images', async () => {
    const task = rotationTask({ rotations: 2 });
    const images = createRng(2).uniformTensor([4, 6, 6, 1]) as Tensor4D;
    const batch = await assertNoTensorLeak('makeBatch', () =>
      task.makeBatch(images, { rng: createRng(0), training: true }),
    );
    expect(batch.inputs.isDisposed).toBe(true);
    const kept = task.makeBatch(images, { rng: createRng(0), training: true });
    const perfect = tf.oneHot(kept.targets as tf.Tensor1D, 2).mul(20);
    const loss = await assertNoTensorLeak('loss', () => task.loss(perfect, kept));
    expect(loss.isDisposed).toBe(true);
    expect(await readScalars(task.metrics?.(perfect, kept) ?? {})).toEqual({ rotationAccuracy: 1 });
    expect(() =>
      task.makeBatch(createRng(3).uniformTensor([1, 4, 5, 1]) as Tensor4D, { rng: createRng(0), training: true }),
    ).toThrow('rotationTask: images must be square [N, S, S, C]; got [1,4,5,1]');
    tf.dispose([images, kept.inputs, kept.targets, perfect]);
  });
});
