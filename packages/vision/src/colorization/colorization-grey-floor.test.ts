import { assertNoTensorLeak, createRng, initBackend, readScalars, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { photoCrops, photoPatches } from '../test-images.js';
import { colorizationGreyFloor } from './colorization-grey-floor.js';
import { colorizationPreview, colorizationPreviewOf } from './colorization-preview.js';
import { colorizationTask } from './colorization-task.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('colorization grey floor and model preview', () => {
  it('the grey floor scores predicting a = b = 0: its ab error is the mean ab norm, in both modes', async () => {
    const images = photoPatches(await photoCrops(), 1, 0);
    for (const mode of ['classification', 'regression'] as const) {
      const task = colorizationTask({ mode });
      const batch = task.makeBatch(images, { rng: createRng(0), training: false });
      const meanNorm = tf.tidy(() => tf.mean(tf.sqrt(tf.sum(tf.square(batch.targetAb), -1))).dataSync()[0] as number);
      const floor = await readScalars(colorizationGreyFloor(task, batch));
      expect(floor.abError).toBeGreaterThan(1);
      expect(floor.abError).toBeCloseTo(meanNorm, 3);
      if (mode === 'classification') {
        // The share of pixels whose nearest bin is grey.
        const grey =
          task.bins.centers.findIndex(
            (_, i) => i % 2 === 0 && task.bins.centers[i] === 0 && task.bins.centers[i + 1] === 0,
          ) / 2;
        const share = tf.tidy(
          () =>
            tf
              .mean(tf.cast(tf.equal(tf.argMax(tf.reshape(batch.targets, [-1, task.bins.count]), 1), grey), 'float32'))
              .dataSync()[0] as number,
        );
        expect(floor.abBinAccuracy).toBeCloseTo(share, 6);
      } else expect(Object.keys(floor)).toEqual(['abError']);
      await assertNoTensorLeak('colorizationGreyFloor', () => readScalars(colorizationGreyFloor(task, batch)));
      tf.dispose(batch as unknown as tf.TensorContainer);
    }
    images.dispose();
  });

  it('previews a model: the lightness it saw, its colours decoded by the task, the original, enlarged', async () => {
    const images = photoPatches(await photoCrops(), 1, 0);
    const task = colorizationTask({ mode: 'regression' });
    const batch = task.makeBatch(images, { rng: createRng(0), training: false });
    const perfect = tf.reshape(batch.targets, [8, -1]);
    const seen: number[][] = [];
    const predict = (lightness: Tensor4D) => {
      seen.push(lightness.shape);
      return tf.clone(perfect);
    };
    const grid = colorizationPreviewOf(task, predict, images, { scale: 2 });
    expect(seen).toEqual([[8, 32, 32, 1]]);
    expect(grid.shape).toEqual([8 * 32 * 2, 3 * 32 * 2, 3]);
    const expected = tf.tidy(() => {
      const small = colorizationPreview(images, task.colorize(batch.inputs, task.decodeAb(perfect, images.shape)));
      return tf.image.resizeNearestNeighbor(small, [8 * 32 * 2, 3 * 32 * 2]);
    });
    expect(tf.max(tf.abs(tf.sub(grid, expected))).dataSync()[0]).toBeLessThan(1e-6);
    await assertNoTensorLeak('colorizationPreviewOf', () => colorizationPreviewOf(task, predict, images, { scale: 2 }));
    tf.dispose([images, perfect, grid, expected, batch as unknown as tf.TensorContainer]);
  });
});
