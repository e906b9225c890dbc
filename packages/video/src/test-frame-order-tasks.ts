// Test helpers (not built) shared by the frame-order task tests.
import {
  assertNoTensorLeak,
  createRng,
  initBackend,
  readScalars,
  type Tensor,
  type Tensor5D,
  tf,
} from '@selfsup/backend';
import type { PretextTask, TaskBatch } from '@selfsup/pretext';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lossBeforeAndAfter, smallFrameEncoder } from './test-training.js';
import { bouncingItemSequences } from './test-videos.js';

/**
 * A suite's real frames: starts the wasm backend and decodes the bouncing-item videos
 * ({@link bouncingItemSequences}, [8, 16, 32, 32, 1]) before its tests, disposes them after. Call
 * the returned function inside a test.
 */
function useBouncingItemVideos(): () => Tensor5D {
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
async function expectSeededLeakFreeClassification(
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
  expect(await readScalars(task.metrics?.(perfect, first) ?? {})).toEqual({ [accuracyMetric]: 1 });
  tf.dispose([first, again, perfect] as unknown as tf.TensorContainer);
}

/** Checks that makeBatch rejects `frames`-frame sequences ([2, frames, 8, 8, 1]) with `message`. */
export function expectRejectsSequencesOf(
  task: PretextTask<object, Tensor>,
  frames: number,
  message: string | RegExp,
): void {
  const short = tf.zeros([2, frames, 8, 8, 1]);
  try {
    expect(() => task.makeBatch(short, { rng: createRng(0), training: true })).toThrow(message);
  } finally {
    short.dispose();
  }
}

/** Checks that a task trains: Adam steps on a small frame encoder and the task's head lower its loss on `samples`. */
function expectLossFalls(
  task: PretextTask<object, Tensor>,
  samples: Tensor,
  options: { steps: number; learningRate: number } = { steps: 20, learningRate: 3e-3 },
): void {
  const encoder = smallFrameEncoder();
  try {
    const { before, after } = lossBeforeAndAfter(task, encoder, samples, options);
    expect(after, task.id).toBeLessThan(before);
  } finally {
    encoder.dispose();
  }
}

/** What {@link frameOrderClassificationTests} checks of a task. */
export interface FrameOrderClassificationSpec {
  /** The task at the options it is checked with (usually its defaults). */
  task: () => PretextTask<object, Tensor>;
  /** Its classes, and the metric its accuracy is logged as. */
  classes: number;
  accuracyMetric: string;
  /** The tasks whose loss must fall on the real frames (default: `task`), and their Adam steps (default 20). */
  learners?: Array<() => PretextTask<object, Tensor>>;
  steps?: number;
  /** Why the task is learnable on these videos, for the title of the training test. */
  learnableBecause?: string;
}

/**
 * The tests every frame-order classification task passes on real frames, the bouncing-item videos
 * (decoded once; the suite also starts the wasm backend for the file's other tests): the same
 * batches for a seed, no leaks, perfect logits scoring 1; and a loss that falls in a few Adam
 * steps. Call it inside the task's `describe`, beside the tests of what is the task's own.
 */
export function frameOrderClassificationTests(spec: FrameOrderClassificationSpec): void {
  const videos = useBouncingItemVideos();
  it('is deterministic given the rng, leaks nothing, and scores perfect logits 1', async () => {
    await expectSeededLeakFreeClassification(spec.task(), videos(), spec.classes, spec.accuracyMetric);
  });
  const because = spec.learnableBecause === undefined ? '' : ` (${spec.learnableBecause})`;
  it(`trains: the loss falls on real video frames${because}`, () => {
    for (const learner of spec.learners ?? [spec.task]) {
      expectLossFalls(learner(), videos(), { steps: spec.steps ?? 20, learningRate: 3e-3 });
    }
  });
}
