// Test helpers (not built) shared by the frame-order task tests.
import { assertNoTensorLeak, createRng, initBackend, type Tensor, type Tensor5D, tf } from '@selfsup/backend';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import { afterAll, beforeAll, expect } from 'vitest';
import { bouncingItemSequences } from './test-videos.js';

/**
 * A test file's real frames: starts the wasm backend and decodes the bouncing-item videos
 * ({@link bouncingItemSequences}, [8, 16, 32, 32, 1]) before its tests, disposes them after. Call
 * the returned function inside a test.
 */
export function useBouncingItemVideos(): () => Tensor5D {
  let videos: Tensor5D | undefined;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: false });
    videos = (await bouncingItemSequences()).sequences;
  });
  afterAll(() => videos?.dispose());
  return () => {
    if (videos === undefined) throw new Error('useBouncingItemVideos: the videos are read inside a test');
    return videos;
  };
}

/**
 * Checks a frame-order classification task on `samples`: makeBatch gives the same frames and
 * labels for the same seed and leaks nothing (its batch is the caller's, freed with it); the loss of perfect logits leaks nothing; their
 * accuracy, logged as `accuracyMetric`, is 1.
 */
export async function expectSeededLeakFreeClassification(
  task: PretextTask<object, Tensor>,
  samples: Tensor,
  classes: number,
  accuracyMetric: string,
): Promise<void> {
  const batchFor = (seed: number) => task.makeBatch(samples, { rng: createRng(seed), training: true });
  const first = batchFor(5) as TaskBatch & { frameIndices: Tensor };
  const measured = await assertNoTensorLeak('makeBatch', () => batchFor(5));
  expect(measured.inputs.isDisposed).toBe(true);
  const again = batchFor(5) as TaskBatch & { frameIndices: Tensor };
  expect(Array.from(again.frameIndices.dataSync())).toEqual(Array.from(first.frameIndices.dataSync()));
  expect(Array.from(again.targets.dataSync())).toEqual(Array.from(first.targets.dataSync()));
  const perfect = tf.mul(tf.oneHot(first.targets as tf.Tensor1D, classes), 20);
  await assertNoTensorLeak('loss', () => task.loss(perfect, first));
  expect(task.metrics?.(perfect, first)).toEqual({ [accuracyMetric]: 1 });
  tf.dispose([first, again, perfect] as unknown as tf.TensorContainer);
}
