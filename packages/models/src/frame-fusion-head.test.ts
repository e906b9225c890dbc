import { assertNoTensorLeak, createRng, initBackend, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFrameFusionHead } from './frame-fusion-head.js';
import { createFrameStackEncoder } from './frame-stack-encoder.js';
import { createSmallCnn } from './small-cnn.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('frame fusion head', () => {
  it('maps per-frame features to one output per example, by concatenation or pairs', async () => {
    const features = createRng(0).normalTensor([6 * 4, 8]) as Tensor2D;
    const concat = createFrameFusionHead({ inputSize: 8, items: 4, outputSize: 3, itemHiddenSize: 5, hiddenSize: 7 });
    const pairwise = createFrameFusionHead({ inputSize: 8, items: 4, fusion: 'pairwise', outputSize: 12, seed: 1 });
    const clips = createFrameFusionHead({
      inputSize: 8,
      items: 2,
      framesPerItem: 2,
      fusion: 'pairwise',
      outputSize: 2,
    });
    for (const [head, shape] of [
      [concat, [6, 3]],
      [pairwise, [6, 12]],
      [clips, [6, 2]],
    ] as const) {
      const out = await assertNoTensorLeak(head.name, () => head.apply(features, { training: true }));
      expect(out.shape).toEqual(shape);
    }
    // 6 pairs of 4 items: the pair layer sees 2·256 inputs, the output 6·128.
    expect(pairwise.trainableVariables.map((v) => v.shape)).toContainEqual([6 * 128, 12]);
    expect(concat.config).toMatchObject({ kind: 'frame-fusion-head', options: { fusion: 'concat', framesPerItem: 1 } });
    tf.dispose(features);
    for (const head of [concat, pairwise, clips]) head.dispose();
  });

  it('depends on the order of the frames (it must, to tell orders apart)', () => {
    const head = createFrameFusionHead({ inputSize: 4, items: 3, fusion: 'pairwise', outputSize: 6, seed: 2 });
    const rng = createRng(3);
    const frames = rng.normalTensor([3, 4]);
    const swapped = tf.gather(frames, [2, 0, 1]);
    const [a, b] = tf.tidy(() => [
      head.apply(tf.concat([frames, frames]) as Tensor2D, { training: false }),
      head.apply(tf.concat([swapped, swapped]) as Tensor2D, { training: false }),
    ]);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(a as tf.Tensor, b as tf.Tensor))).dataSync()[0])).toBeGreaterThan(1e-3);
    tf.dispose([frames, swapped, a as tf.Tensor, b as tf.Tensor]);
    head.dispose();
  });

  it('rejects bad sizes and rows that are not whole examples', () => {
    expect(() => createFrameFusionHead({ inputSize: 8, items: 0, outputSize: 2 })).toThrow(
      'createFrameFusionHead: items must be a positive integer; got 0',
    );
    expect(() => createFrameFusionHead({ inputSize: 8, items: 1, fusion: 'pairwise', outputSize: 2 })).toThrow(
      'pairwise fusion needs at least 2 items',
    );
    expect(() => createFrameFusionHead({ inputSize: 8, items: 2, fusion: 'sum' as 'concat', outputSize: 2 })).toThrow(
      "fusion must be one of concat, pairwise; got 'sum'",
    );
    const head = createFrameFusionHead({ inputSize: 8, items: 3, outputSize: 2 });
    const features = tf.zeros([7, 8]) as Tensor2D;
    expect(() => head.apply(features, { training: false })).toThrow(
      'frame_fusion_head: got 7 feature rows, not a multiple of 3 items × 1 frames per example',
    );
    tf.dispose(features);
    head.dispose();
  });
});

describe('frame stack encoder', () => {
  it('applies one shared frame encoder to every frame: concatenated features equal the per-frame ones', async () => {
    const frameEncoder = createSmallCnn({ inputShape: [8, 8, 1], widths: [4, 6], strides: [1, 2] });
    const stack = createFrameStackEncoder({ frameEncoder, frames: 3 });
    expect(stack.inputShape).toEqual([3, 8, 8, 1]);
    expect(stack.featureSize).toBe(18);
    const clips = createRng(1).uniformTensor([2, 3, 8, 8, 1]);
    const features = await assertNoTensorLeak('apply', () => stack.apply(clips, { training: false }));
    expect(features.shape).toEqual([2, 18]);
    const kept = stack.apply(clips, { training: false });
    const perFrame = tf.tidy(() => frameEncoder.apply(tf.reshape(clips, [6, 8, 8, 1]), { training: false }));
    expect(Array.from(kept.dataSync())).toEqual(Array.from(perFrame.dataSync()));
    const mean = createFrameStackEncoder({ frameEncoder, frames: 3, pooling: 'mean' });
    const pooled = mean.apply(clips, { training: false });
    expect(pooled.shape).toEqual([2, 6]);
    expect(stack.trainableVariables).toBe(frameEncoder.trainableVariables);
    const wrong = tf.zeros([2, 4, 8, 8, 1]);
    expect(() => stack.apply(wrong, { training: false })).toThrow(
      'frame_stack_encoder: expected inputs [batch, 3, 8, 8, 1], got [2, 4, 8, 8, 1]',
    );
    tf.dispose([clips, kept, perFrame, pooled, wrong]);
    stack.dispose();
  });
});
