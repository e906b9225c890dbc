import { assertNoTensorLeak, createRng, initBackend, readScalars, type Tensor4D, tf } from '@selfsup/backend';
import { createSmallCnn, headForTask } from '@selfsup/models';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { standardizePerImage } from '../standardize-per-image.js';
import { fashionMnistImages } from '../test-images.js';
import { expectSeededLeakFree, lossBeforeAndAfter } from '../test-training.js';
import { jigsawTask } from './jigsaw-task.js';
import { maxHammingPermutations } from './max-hamming-permutations.js';

// The real search, counted: a task searches on first use, not when made.
vi.mock('./max-hamming-permutations.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./max-hamming-permutations.js')>();
  return { ...actual, maxHammingPermutations: vi.fn(actual.maxHammingPermutations) };
});

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

const raw = { normalizeTiles: false, grayscaleProbability: 0, permutations: 30 } as const;

describe('jigsaw task', () => {
  it('is correct by construction: each tile is its source window, and the inverse permutation restores the grid', () => {
    const images = createRng(1).uniformTensor([4, 28, 28, 1]) as Tensor4D;
    const task = jigsawTask(raw);
    const batch = task.makeBatch(images, { rng: createRng(2), training: true });
    expect(batch.inputs.shape).toEqual([36, 7, 7, 1]);
    const labels = Array.from(batch.targets.dataSync());
    const positions = batch.tilePositions.arraySync() as number[][];
    const pixels = images.arraySync() as number[][][][];
    const tiles = batch.inputs.arraySync() as number[][][][];
    for (let n = 0; n < 4; n++) {
      const permutation = task.permutations[labels[n] as number] as number[];
      // Put every slot back in its cell: cellTile[c] is the row of the tile of grid cell c.
      const cellTile = new Array<number>(9);
      permutation.forEach((cell, slot) => {
        cellTile[cell] = n * 9 + slot;
      });
      for (let cell = 0; cell < 9; cell++) {
        const row = cellTile[cell] as number;
        const [top, left] = positions[row] as [number, number];
        for (let y = 0; y < 7; y++)
          for (let x = 0; x < 7; x++) expect(tiles[row]?.[y]?.[x]?.[0]).toBe(pixels[n]?.[top + y]?.[left + x]?.[0]);
        // Restored, the cells form a 3×3 grid: 7-pixel tiles in 9-pixel cells, gaps of 0..4 pixels.
        if (cell % 3 < 2) {
          const [rightTop, rightLeft] = positions[cellTile[cell + 1] as number] as [number, number];
          expect(rightLeft - left).toBeGreaterThanOrEqual(7);
          expect(rightLeft - left).toBeLessThanOrEqual(11);
          expect(Math.abs(rightTop - top)).toBeLessThanOrEqual(2);
        }
        if (cell < 6) {
          const [belowTop, belowLeft] = positions[cellTile[cell + 3] as number] as [number, number];
          expect(belowTop - top).toBeGreaterThanOrEqual(7);
          expect(belowTop - top).toBeLessThanOrEqual(11);
          expect(Math.abs(belowLeft - left)).toBeLessThanOrEqual(2);
        }
      }
    }
    tf.dispose([images, batch.inputs, batch.targets, batch.tilePositions]);
  });

  it('standardizes each tile, and makes colour puzzles grayscale or channel-jittered', () => {
    const images = createRng(3).uniformTensor([2, 28, 28, 3]) as Tensor4D;
    const plain = jigsawTask(raw).makeBatch(images, { rng: createRng(4), training: true });
    const normalized = jigsawTask({ ...raw, normalizeTiles: true }).makeBatch(images, {
      rng: createRng(4),
      training: true,
    });
    const expected = standardizePerImage(plain.inputs);
    expect(tf.max(tf.abs(tf.sub(normalized.inputs, expected))).dataSync()[0]).toBeLessThan(1e-5);
    const { mean, variance } = tf.moments(tf.reshape(normalized.inputs, [18, -1]), 1);
    expect(Math.max(...Array.from(tf.abs(mean).dataSync()))).toBeLessThan(1e-4);
    for (const v of variance.dataSync()) expect(v).toBeCloseTo(1, 3);

    const gray = jigsawTask({ ...raw, grayscaleProbability: 1 }).makeBatch(images, {
      rng: createRng(4),
      training: true,
    });
    const [r, g, b] = tf.split(gray.inputs, 3, 3);
    expect(tf.max(tf.abs(tf.sub(r as tf.Tensor, g as tf.Tensor))).dataSync()[0]).toBe(0);
    expect(tf.max(tf.abs(tf.sub(g as tf.Tensor, b as tf.Tensor))).dataSync()[0]).toBe(0);

    const jittered = jigsawTask({ ...raw, channelJitter: 2 }).makeBatch(images, { rng: createRng(4), training: true });
    expect(tf.max(tf.abs(tf.sub(jittered.inputs, plain.inputs))).dataSync()[0]).toBeGreaterThan(0.1);
    tf.dispose([images, plain, normalized, expected, mean, variance, gray, r, g, b, jittered] as tf.TensorContainer);
  });

  it('is deterministic per seed, leaks nothing, and rejects images too small for the puzzle', async () => {
    const task = jigsawTask({ permutations: 30 });
    const images = createRng(5).uniformTensor([3, 28, 28, 1]) as Tensor4D;
    const encoder = createSmallCnn({ inputShape: [7, 7, 1], widths: [8, 16], strides: [1, 2] });
    const { batch: a, head, outputs } = await expectSeededLeakFree(task, images, encoder);
    expect(outputs.shape).toEqual([3, 30]);
    const logits = tf.oneHot(a.targets as tf.Tensor1D, 30).mul(30);
    await assertNoTensorLeak('jigsaw loss', () => task.loss(logits, a));
    expect(await readScalars(task.metrics?.(logits, a) ?? {})).toEqual({ jigsawAccuracy: 1 });
    expect(() =>
      task.makeBatch(createRng(0).uniformTensor([1, 20, 20, 1]) as Tensor4D, { rng: createRng(0), training: true }),
    ).toThrow('jigsawTask: a 3×3 puzzle of 9-pixel cells needs images of at least 27×27; got [1,20,20,1]');
    expect(() => jigsawTask({ tileSize: 10 })).toThrow('jigsawTask: tileSize 10 must not exceed cellSize 9');
    const fullSize = createSmallCnn({ widths: [8], strides: [2] });
    expect(() => headForTask(task, fullSize, 1)).toThrow(
      'jigsawTask: the encoder takes [28,28,1] inputs but the task shows it 7×7 tiles; create it with inputShape [7, 7, channels]',
    );
    fullSize.dispose();
    tf.dispose([images, a, logits] as tf.TensorContainer);
    head?.dispose();
    encoder.dispose();
  });

  it('checks its options when made but searches its permutation set on first use, once, the same for a seed', () => {
    const search = vi.mocked(maxHammingPermutations);
    search.mockClear();
    const task = jigsawTask({ permutations: 12, permutationSeed: 3 });
    expect(search).not.toHaveBeenCalled();
    const expected = maxHammingPermutations({ elements: 9, count: 12, seed: 3 });
    search.mockClear();
    expect(task.permutations).toEqual(expected.permutations);
    expect(task.minimumHammingDistance).toBe(expected.minimumDistance);
    const images = createRng(6).uniformTensor([2, 28, 28, 1]) as Tensor4D;
    const batch = task.makeBatch(images, { rng: createRng(7), training: true });
    expect(search).toHaveBeenCalledTimes(1);
    expect(() => jigsawTask({ grid: 2 })).toThrow(
      'maxHammingPermutations: asked for 100 permutations of 4 elements, but there are only 24 candidates',
    );
    tf.dispose([images, batch] as tf.TensorContainer);
  });

  it('trains: the loss on real Fashion-MNIST goes down in a few steps', async () => {
    const images = await fashionMnistImages(32);
    const encoder = createSmallCnn({ inputShape: [7, 7, 1], widths: [16, 32], strides: [1, 2], seed: 1 });
    const { before, after, head } = lossBeforeAndAfter(jigsawTask({ permutations: 10 }), encoder, images, {
      steps: 15,
      learningRate: 3e-3,
    });
    expect(after).toBeLessThan(before * 0.8);
    head?.dispose();
    encoder.dispose();
    images.dispose();
  });
});
