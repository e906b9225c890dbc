import {
  assertNoTensorLeak,
  createRng,
  initBackend,
  readScalars,
  type Tensor3D,
  type Tensor4D,
  tf,
} from '@selfsup/backend';
import { createSmallCnn, createVitTiny, headForTask, patchify, unpatchify } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { fashionMnistImages } from '../test-images.js';
import { forwardOf, lossBeforeAndAfter } from '../test-training.js';
import type { MaeDecoder } from './mae-decoder.js';
import { maeTask } from './mae-task.js';
import { randomPatchMasking } from './random-patch-masking.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

const smallVit = (seed = 0) =>
  createVitTiny({ inputShape: [28, 28, 1], patchSize: 7, dim: 32, depth: 2, heads: 2, seed });
const smallDecoder = { patchSize: 7, decoderDim: 32, decoderDepth: 1, decoderHeads: 2 } as const;

describe('random patch masking', () => {
  it('keeps a random (1 − ratio) of the patches per image, and restore indices invert the shuffle', () => {
    const { visible, visibleIndices, restoreIndices, mask } = randomPatchMasking(5, 16, 0.75, createRng(0));
    expect(visible).toBe(4);
    for (let n = 0; n < 5; n++) {
      const kept = Array.from(visibleIndices.subarray(n * 4, n * 4 + 4));
      expect(new Set(kept).size).toBe(4);
      for (let p = 0; p < 16; p++) expect(mask[n * 16 + p]).toBe(kept.includes(p) ? 0 : 1);
      // Position of patch p in [visible…, masked…]: the visible ones first, in the encoder's order.
      kept.forEach((p, position) => {
        expect(restoreIndices[n * 16 + p]).toBe(position);
      });
      expect(new Set(restoreIndices.subarray(n * 16, n * 16 + 16)).size).toBe(16);
    }
    expect(randomPatchMasking(5, 16, 0.75, createRng(0)).visibleIndices).toEqual(visibleIndices);
    expect(() => randomPatchMasking(1, 16, 1, createRng(0))).toThrow(
      'randomPatchMasking: maskRatio must be in [0, 1); got 1',
    );
  });
});

describe('MAE task', () => {
  it('is correct by construction: targets are the patches, the encoder sees only visible patches, the loss only masked ones', async () => {
    const images = createRng(1).uniformTensor([3, 28, 28, 1]) as Tensor4D;
    const task = maeTask({ ...smallDecoder, normalizeTargets: false });
    const batch = task.makeBatch(images, { rng: createRng(2), training: true });
    expect(batch.targets.shape).toEqual([3, 16, 49]);
    const restoredImages = unpatchify(batch.targets, 7, 4, 4, 1);
    expect(Array.from(restoredImages.dataSync())).toEqual(Array.from(images.dataSync()));

    const encoder = smallVit();
    const head = headForTask(task, encoder, 1);
    const seen: number[] = [];
    const spied = {
      ...encoder,
      encodeTokens: (tokens: Tensor3D, mode: { training: boolean }) => {
        seen.push(tokens.shape[1]);
        return encoder.encodeTokens(tokens, mode);
      },
    };
    const forward = forwardOf(task, spied, head);
    const outputs = tf.tidy(() => forward(batch, false));
    expect(outputs.shape).toEqual([3, 16, 49]);
    expect(seen).toEqual([4]);
    // Changing the pixels of masked patches changes nothing; changing a visible patch does.
    const mask = batch.weights.arraySync() as number[][];
    const patchMaskImage = (visibleOnes: boolean) =>
      tf.tidy(() => {
        const selected = tf.tensor3d(
          mask.map((row) => row.map((m) => new Array<number>(49).fill((m === 0) === visibleOnes ? 1 : 0))),
        );
        return unpatchify(selected, 7, 4, 4, 1);
      });
    for (const [visibleOnes, changes] of [
      [false, false],
      [true, true],
    ] as const) {
      const region = patchMaskImage(visibleOnes);
      const edited = tf.add(images, tf.mul(region, 0.5)) as Tensor4D;
      const editedBatch = { ...batch, inputs: edited };
      const editedOutputs = tf.tidy(() => forward(editedBatch, false));
      const difference = tf.max(tf.abs(tf.sub(editedOutputs, outputs))).dataSync()[0] as number;
      expect(difference > 1e-6).toBe(changes);
      tf.dispose([region, edited, editedOutputs]);
    }
    // The loss's gradient is zero on visible patches, non-zero on masked ones.
    const gradient = tf.grad((o: tf.Tensor) => task.loss(o, batch))(outputs);
    const perPatch = tf.sum(tf.abs(gradient), -1).arraySync() as number[][];
    perPatch.forEach((row, n) => {
      row.forEach((g, p) => {
        expect(g > 0).toBe(mask[n]?.[p] === 1);
      });
    });
    tf.dispose([images, batch, restoredImages, outputs, gradient] as tf.TensorContainer);
    head?.dispose();
    encoder.dispose();
  });

  it('unshuffles to image order: with nothing masked, decoding the shuffled encoding equals decoding in order', () => {
    const images = createRng(3).uniformTensor([2, 28, 28, 1]) as Tensor4D;
    const task = maeTask({ ...smallDecoder, maskRatio: 0 });
    const encoder = smallVit();
    const decoder = headForTask(task, encoder, 1) as MaeDecoder;
    const batch = task.makeBatch(images, { rng: createRng(4), training: true });
    const shuffled = tf.tidy(() => forwardOf(task, encoder, decoder)(batch, false));
    const inOrder = tf.tidy(() => {
      const tokens = encoder.encodeTokens(encoder.embedPatches(images), { training: false });
      return tf.reshape(
        decoder.apply(tf.reshape(tokens, [2 * 17, 32]) as tf.Tensor2D, { training: false }),
        [2, 16, 49],
      );
    });
    // Attention is permutation-equivariant, so the visible-token order cannot matter once unshuffled.
    expect(tf.max(tf.abs(tf.sub(shuffled, inOrder))).dataSync()[0]).toBeLessThan(1e-4);
    tf.dispose([images, batch, shuffled, inOrder] as tf.TensorContainer);
    decoder.dispose();
    encoder.dispose();
  });

  it('normalizes targets per patch, is deterministic, leaks nothing, and names a wrong encoder', async () => {
    const images = createRng(5).uniformTensor([2, 28, 28, 1]) as Tensor4D;
    const task = maeTask(smallDecoder);
    const a = task.makeBatch(images, { rng: createRng(6), training: true });
    const b = task.makeBatch(images, { rng: createRng(6), training: true });
    const c = task.makeBatch(images, { rng: createRng(7), training: true });
    expect(Array.from(a.visibleIndices.dataSync())).toEqual(Array.from(b.visibleIndices.dataSync()));
    expect(Array.from(a.visibleIndices.dataSync())).not.toEqual(Array.from(c.visibleIndices.dataSync()));
    const { mean, variance } = tf.moments(a.targets, -1);
    expect(tf.max(tf.abs(mean)).dataSync()[0]).toBeLessThan(1e-4);
    expect(tf.min(variance).dataSync()[0]).toBeGreaterThan(0.99);
    const raw = patchify(images, 7);
    expect(tf.max(tf.abs(tf.sub(raw, a.targets))).dataSync()[0]).toBeGreaterThan(0.5);
    await assertNoTensorLeak('mae makeBatch', () => task.makeBatch(images, { rng: createRng(0), training: true }));
    const encoder = smallVit();
    const head = headForTask(task, encoder, 1);
    const forward = forwardOf(task, encoder, head);
    await assertNoTensorLeak('mae forward', () => forward(a, true));
    const outputs = forward(a, false);
    await assertNoTensorLeak('mae loss', () => task.loss(outputs, a));
    expect(task.loss(a.targets, a).dataSync()[0]).toBe(0);
    expect(await readScalars(task.metrics?.(a.targets, a) ?? {})).toEqual({ maskedPatchMse: 0 });
    const cnn = createSmallCnn();
    expect(() => headForTask(task, cnn, 1)).toThrow(
      'maeTask: the encoder has no embedPatches, encodeTokens, patchSize, numPatches, dim; masked image modelling needs a patch-token encoder (createVitTiny from @selfsup/models)',
    );
    const other = createVitTiny({ inputShape: [28, 28, 1], patchSize: 4, dim: 32, depth: 1, heads: 2 });
    expect(() => forwardOf(task, other, head)(a, false)).toThrow(
      "maeTask: the task's patchSize is 7 but the encoder's is 4",
    );
    expect(() => task.makeBatch(tf.zeros([1, 30, 30, 1]) as Tensor4D, { rng: createRng(0), training: true })).toThrow(
      'maeTask: image size 30×30 is not a multiple of the patch size 7',
    );
    tf.dispose([images, a, b, c, mean, variance, raw, outputs] as tf.TensorContainer);
    for (const module of [head, encoder, cnn, other]) module?.dispose();
  });

  it('trains: the masked-patch loss of a ViT on real Fashion-MNIST goes down in a few steps', async () => {
    const images = await fashionMnistImages(32);
    const encoder = smallVit(1);
    const { before, after, head } = lossBeforeAndAfter(maeTask(smallDecoder), encoder, images, {
      steps: 15,
      learningRate: 2e-3,
    });
    expect(after).toBeLessThan(before * 0.85);
    head?.dispose();
    encoder.dispose();
    images.dispose();
  });
});
