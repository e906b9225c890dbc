import { assertNoTensorLeak, createRng, initBackend, readScalars, type Tensor4D, tf } from '@selfsup/backend';
import { createSmallCnn } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistImages } from '../test-images.js';
import { expectSeededLeakFree, lossBeforeAndAfter } from '../test-training.js';
import { NEIGHBOUR_OFFSETS, relativeLocationTask } from './relative-location-task.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('relative patch location task', () => {
  it('is correct by construction: the label is where the neighbour lies, and the patches are their windows', () => {
    const images = createRng(1).uniformTensor([16, 28, 28, 1]) as Tensor4D;
    const task = relativeLocationTask({ normalizePatches: false });
    const batch = task.makeBatch(images, { rng: createRng(2), training: true });
    expect(batch.inputs.shape).toEqual([32, 7, 7, 1]);
    const labels = Array.from(batch.targets.dataSync());
    expect(new Set(labels).size).toBeGreaterThan(4);
    const positions = batch.patchPositions.arraySync() as number[][];
    const pixels = images.arraySync() as number[][][][];
    const patches = batch.inputs.arraySync() as number[][][][];
    for (let n = 0; n < 16; n++) {
      const [centreTop, centreLeft] = positions[2 * n] as [number, number];
      const [top, left] = positions[2 * n + 1] as [number, number];
      const [rowStep, colStep] = NEIGHBOUR_OFFSETS[labels[n] as number] as [number, number];
      // One step is patch + gap = 9 pixels; each patch moves by at most 1 (jitter), so 2 between them.
      expect(Math.abs(top - centreTop - 9 * rowStep)).toBeLessThanOrEqual(2);
      expect(Math.abs(left - centreLeft - 9 * colStep)).toBeLessThanOrEqual(2);
      for (const row of [2 * n, 2 * n + 1]) {
        const [y0, x0] = positions[row] as [number, number];
        for (let y = 0; y < 7; y++)
          for (let x = 0; x < 7; x++) expect(patches[row]?.[y]?.[x]?.[0]).toBe(pixels[n]?.[y0 + y]?.[x0 + x]?.[0]);
      }
    }
    tf.dispose([images, batch.inputs, batch.targets, batch.patchPositions]);
  });

  it('defends against chromatic aberration per patch: one real channel, the others faint noise', () => {
    const images = createRng(3).uniformTensor([4, 28, 28, 3]) as Tensor4D;
    const task = relativeLocationTask({ normalizePatches: false });
    const batch = task.makeBatch(images, { rng: createRng(4), training: true });
    const plain = relativeLocationTask({ normalizePatches: false, chromaticDefence: 'none' }).makeBatch(images, {
      rng: createRng(4),
      training: true,
    });
    const defended = batch.inputs.arraySync() as number[][][][];
    const original = plain.inputs.arraySync() as number[][][][];
    for (let row = 0; row < 8; row++) {
      const kept = [0, 1, 2].filter(
        (channel) => defended[row]?.[3]?.[3]?.[channel] === original[row]?.[3]?.[3]?.[channel],
      );
      expect(kept).toHaveLength(1);
      const dropped = [0, 1, 2].filter((c) => c !== kept[0]);
      for (const channel of dropped) {
        const values = defended[row]?.flatMap((line) => line.map((pixel) => pixel[channel] as number)) ?? [];
        expect(Math.max(...values.map(Math.abs))).toBeLessThan(0.05);
      }
    }
    const gray = relativeLocationTask({ chromaticDefence: 'grayscale' }).makeBatch(images, {
      rng: createRng(4),
      training: true,
    });
    const [r, g] = tf.split(gray.inputs, 3, 3);
    expect(tf.max(tf.abs(tf.sub(r as tf.Tensor, g as tf.Tensor))).dataSync()[0]).toBeLessThan(1e-6);
    const projected = relativeLocationTask({ chromaticDefence: 'projection', normalizePatches: false }).makeBatch(
      images,
      { rng: createRng(4), training: true },
    );
    const alongGreenMagenta = tf.sum(tf.mul(projected.inputs, [-1, 2, -1]), 3);
    expect(tf.max(tf.abs(alongGreenMagenta)).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([images, batch, plain, gray, r, g, projected, alongGreenMagenta] as tf.TensorContainer);
  });

  it('is deterministic per seed, leaks nothing, and rejects images too small for the arrangement', async () => {
    const task = relativeLocationTask();
    const images = createRng(5).uniformTensor([3, 28, 28, 3]) as Tensor4D;
    const encoder = createSmallCnn({ inputShape: [7, 7, 3], widths: [8, 16], strides: [1, 2] });
    const { batch: a, head, outputs } = await expectSeededLeakFree(task, images, encoder);
    expect(outputs.shape).toEqual([3, 8]);
    const logits = tf.oneHot(a.targets as tf.Tensor1D, 8).mul(30);
    await assertNoTensorLeak('relative-location loss', () => task.loss(logits, a));
    expect(await readScalars(task.metrics?.(logits, a) ?? {})).toEqual({ relativeLocationAccuracy: 1 });
    expect(() =>
      task.makeBatch(createRng(0).uniformTensor([1, 24, 24, 1]) as Tensor4D, { rng: createRng(0), training: true }),
    ).toThrow(
      'relativeLocationTask: 3 patches of 7 with gap 2 and jitter 1 need images of at least 27×27; got [1,24,24,1]',
    );
    expect(() => relativeLocationTask({ chromaticDefence: 'blur' as never })).toThrow(
      "relativeLocationTask: chromaticDefence 'blur' is not one of channel-dropping, projection, grayscale, none",
    );
    tf.dispose([images, a, logits] as tf.TensorContainer);
    head?.dispose();
    encoder.dispose();
  });

  it('trains: the loss on real Fashion-MNIST goes down in a few steps', async () => {
    const images = await fashionMnistImages(64);
    const encoder = createSmallCnn({ inputShape: [7, 7, 1], widths: [16, 32], strides: [1, 2], seed: 1 });
    const { before, after, head } = lossBeforeAndAfter(relativeLocationTask(), encoder, images, {
      steps: 15,
      learningRate: 3e-3,
    });
    expect(after).toBeLessThan(before * 0.85);
    head?.dispose();
    encoder.dispose();
    images.dispose();
  });
});
