import { assertNoTensorLeak, createRng, initBackend, readScalars, type Tensor4D, tf } from '@selfsup/backend';
import { createSmallCnn, headForTask } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { photoCrops, photoPatches } from '../test-images.js';
import { lossBeforeAndAfter } from '../test-training.js';
import { abGamutBins, nearestAbBin } from './ab-quantization.js';
import { estimateAbPrior } from './class-rebalancing.js';
import { colorizationPreview } from './colorization-preview.js';
import { AB_SCALE, colorizationTask } from './colorization-task.js';
import { labToRgb, rgbToLab } from './lab.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

/** Real photo colours, constant over each 4×4 block: the block averages are the exact targets. */
async function blockyPhotos(): Promise<Tensor4D> {
  const photos = await photoCrops();
  const blocky = tf.tidy(() => tf.image.resizeNearestNeighbor(tf.avgPool(photos, 4, 4, 'valid'), [64, 64]) as Tensor4D);
  photos.dispose();
  return blocky;
}

describe('colorization task', () => {
  it('is correct by construction: L is the input, the targets are the ab that recolour it, bins and weights agree', async () => {
    const images = await blockyPhotos();
    const prior = estimateAbPrior(images, abGamutBins());
    const task = colorizationTask({ abPrior: Array.from(prior) });
    const batch = task.makeBatch(images, { rng: createRng(0), training: true });
    expect(batch.inputs.shape).toEqual([8, 64, 64, 1]);
    expect(batch.targets.shape).toEqual([8, 16, 16, task.bins.count]);
    const lab = rgbToLab(images);
    const lightness = tf.div(tf.slice(lab, [0, 0, 0, 0], [-1, -1, -1, 1]), 100);
    expect(tf.max(tf.abs(tf.sub(lightness, batch.inputs))).dataSync()[0]).toBeLessThan(1e-5);
    // Recolouring the lightness with the target ab restores the images (nearest upsampling: the blocks are flat).
    const upsampledAb = tf.image.resizeNearestNeighbor(batch.targetAb, [64, 64]);
    const restored = labToRgb(tf.concat([tf.mul(batch.inputs, 100), upsampledAb], -1));
    expect(tf.max(tf.abs(tf.sub(restored, images))).dataSync()[0]).toBeLessThan(3e-3);
    // Soft targets: distributions whose top bin is the nearest bin of the true ab; weights are that bin's.
    const flatTargets = tf.reshape(batch.targets, [-1, task.bins.count]);
    for (const sum of tf.sum(flatTargets, 1).dataSync()) expect(sum).toBeCloseTo(1, 4);
    const top = Array.from(tf.argMax(flatTargets, 1).dataSync());
    const nearest = Array.from(nearestAbBin(tf.reshape(batch.targetAb, [-1, 2]) as tf.Tensor2D, task.bins).dataSync());
    expect(top).toEqual(nearest);
    const weights = Array.from((batch.weights as tf.Tensor).dataSync());
    weights.forEach((w, i) => {
      expect(w).toBeCloseTo(task.classWeights[top[i] as number] as number, 5);
    });

    const regression = colorizationTask({ mode: 'regression' }).makeBatch(images, {
      rng: createRng(0),
      training: true,
    });
    expect(tf.max(tf.abs(tf.sub(tf.mul(regression.targets, AB_SCALE), batch.targetAb))).dataSync()[0]).toBeLessThan(
      1e-4,
    );
    tf.dispose([images, batch, lab, lightness, upsampledAb, restored, flatTargets, regression] as tf.TensorContainer);
  });

  it('scores perfect outputs best, decodes and previews colours, leaks nothing, and names bad input', async () => {
    const images = photoPatches(await photoCrops(), 1, 0);
    const task = colorizationTask();
    const batch = task.makeBatch(images, { rng: createRng(0), training: true });
    const informed = tf.mul(tf.log(tf.add(tf.reshape(batch.targets, [8, -1]), 1e-6)), 1);
    const uninformed = tf.zerosLike(informed);
    expect(task.loss(informed, batch).dataSync()[0]).toBeLessThan(task.loss(uninformed, batch).dataSync()[0] as number);
    const sharp = tf.mul(
      tf.oneHot(tf.argMax(tf.reshape(batch.targets, [-1, task.bins.count]), 1), task.bins.count),
      40,
    );
    const metrics = await readScalars(task.metrics?.(tf.reshape(sharp, [8, -1]), batch) ?? {});
    expect(metrics.abBinAccuracy).toBe(1);
    expect(metrics.abError).toBeLessThan(6);

    const regressionTask = colorizationTask({ mode: 'regression' });
    const regression = regressionTask.makeBatch(images, { rng: createRng(0), training: true });
    const perfect = tf.reshape(regression.targets, [8, -1]);
    expect(regressionTask.loss(perfect, regression).dataSync()[0]).toBe(0);
    expect((await readScalars(regressionTask.metrics?.(perfect, regression) ?? {})).abError).toBeLessThan(1e-3);
    const predicted = regressionTask.colorize(regression.inputs, regressionTask.decodeAb(perfect, images.shape));
    const preview = colorizationPreview(images, predicted);
    expect(preview.shape).toEqual([8 * 32, 96, 3]);
    const originals = tf.slice(preview, [0, 64, 0], [-1, 32, 3]);
    expect(tf.max(tf.abs(tf.sub(originals, tf.reshape(images, [256, 32, 3])))).dataSync()[0]).toBeLessThan(1e-6);
    // Block-averaged colours on the true lightness: close to the photo.
    expect(tf.mean(tf.abs(tf.sub(predicted, images))).dataSync()[0]).toBeLessThan(0.05);

    await assertNoTensorLeak('colorization makeBatch', () =>
      task.makeBatch(images, { rng: createRng(0), training: true }),
    );
    await assertNoTensorLeak('colorization loss', () => task.loss(informed, batch));
    await assertNoTensorLeak('colorization metrics', () => readScalars(task.metrics?.(informed, batch) ?? {}));
    await assertNoTensorLeak('colorization decodeAb', () => task.decodeAb(informed, images.shape));
    await assertNoTensorLeak('colorization colorize', () =>
      regressionTask.colorize(regression.inputs, regression.targetAb),
    );
    await assertNoTensorLeak('colorizationPreview', () => colorizationPreview(images, predicted));
    const encoder = createSmallCnn({ inputShape: [32, 32, 1], widths: [8, 16], strides: [2, 2] });
    const head = headForTask(task, encoder, 1);
    const outputs = await assertNoTensorLeak('colorization head', () =>
      tf.tidy(() => head?.apply(encoder.apply(batch.inputs, { training: true }), { training: true }) as tf.Tensor),
    );
    expect(outputs.shape).toEqual([8, 8 * 8 * task.bins.count]);

    expect(() => task.makeBatch(tf.zeros([1, 32, 32, 1]) as Tensor4D, { rng: createRng(0), training: true })).toThrow(
      'colorizationTask: images must have 3 channel(s); got [1,32,32,1]',
    );
    expect(() => task.makeBatch(tf.zeros([1, 30, 30, 3]) as Tensor4D, { rng: createRng(0), training: true })).toThrow(
      'colorizationTask: image size 30×30 is not a multiple of outputStride 4',
    );
    expect(() => colorizationTask({ abPrior: [0.5, 0.5] })).toThrow(
      'colorizationTask: abPrior has 2 values but there are',
    );
    expect(() => colorizationTask({ rebalance: 2 })).toThrow('colorizationTask: rebalance must be in [0, 1]; got 2');
    const colourEncoder = createSmallCnn({ inputShape: [32, 32, 3], widths: [8], strides: [2] });
    expect(() => headForTask(task, colourEncoder, 1)).toThrow(
      'colorizationTask: the encoder must see the lightness channel alone',
    );
    tf.dispose([
      images,
      batch,
      informed,
      uninformed,
      sharp,
      regression,
      perfect,
      predicted,
      preview,
      originals,
    ] as tf.TensorContainer);
    for (const module of [head, encoder, colourEncoder]) module?.dispose();
  });

  it('runs no kernel when made, with or without an abPrior to check: its bins are made on plain numbers', async () => {
    const count = abGamutBins(10).count;
    const uniform = new Array<number>(count).fill(1 / count);
    for (const options of [{}, { binSize: 9 }, { abPrior: uniform }, { mode: 'regression' as const }]) {
      const profile = await tf.profile(() => {
        colorizationTask(options);
      });
      expect(profile.kernels, JSON.stringify(Object.keys(options))).toEqual([]);
      expect(profile.newTensors).toBe(0);
    }
    // The bins a made task reads are those of the gamut scan, the same for every task of a bin size.
    expect(colorizationTask({ binSize: 9 }).bins).toEqual(abGamutBins(9));
  });

  it('trains on real photographs: the rebalanced classification loss and the regression loss go down', async () => {
    const photos = await photoCrops();
    const patches = photoPatches(photos, 6, 1);
    const prior = Array.from(estimateAbPrior(patches, abGamutBins()));
    for (const mode of ['classification', 'regression'] as const) {
      const encoder = createSmallCnn({ inputShape: [32, 32, 1], widths: [16, 32, 32], strides: [1, 2, 2], seed: 1 });
      const { before, after, head } = lossBeforeAndAfter(colorizationTask({ mode, abPrior: prior }), encoder, patches, {
        steps: 12,
        learningRate: 3e-3,
      });
      expect(after).toBeLessThan(before * 0.8);
      head?.dispose();
      encoder.dispose();
    }
    tf.dispose([photos, patches]);
  });
});
