import { createRng, type Tensor5D, tf } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import { expectRejectsSequencesOf, frameOrderClassificationTests } from '../../test-frame-order-tasks.js';
import { indexedSequences, shownFrames } from '../../test-videos.js';
import { allPermutations } from '../frame-permutations.js';
import { orderPredictionTask } from './order-prediction-task.js';

/** The temporal rank of each shown frame (0 = earliest). */
function ranksOf(frames: number[]): number[] {
  const sorted = [...frames].sort((a, b) => a - b);
  return frames.map((f) => sorted.indexOf(f));
}

describe('order prediction (OPN)', () => {
  frameOrderClassificationTests({
    task: () => orderPredictionTask(),
    classes: 12,
    accuracyMetric: 'orderAccuracy',
    steps: 40,
  });

  it('has 12 classes for 4 frames: every permutation is one class or the reverse of one', () => {
    const task = orderPredictionTask();
    expect(task.orders).toHaveLength(12);
    const covered = new Set<string>();
    for (const order of task.orders) {
      covered.add(order.join());
      covered.add([...order].reverse().join());
    }
    expect(covered.size).toBe(24);
    expect(new Set(allPermutations(4).map((p) => p.join()))).toEqual(covered);
    expect(orderPredictionTask({ frames: 3 }).orders).toHaveLength(3);
  });

  it('labels are correct by construction: undoing the class permutation restores the temporal order', () => {
    const sequences = indexedSequences(96, 10);
    const task = orderPredictionTask({ windowSpan: 6, motionQuantile: 0 });
    const batch = task.makeBatch(sequences, { rng: createRng(1), training: true });
    expect(batch.inputs.shape).toEqual([384, 4, 4, 1]);
    const shown = shownFrames(batch.inputs);
    const labels = Array.from(batch.targets.dataSync());
    let reversed = 0;
    for (let n = 0; n < 96; n++) {
      const frames = shown.slice(4 * n, 4 * n + 4);
      expect(frames.every((f) => f.sequence === n)).toBe(true);
      const numbers = frames.map((f) => f.frame);
      expect(new Set(numbers).size).toBe(4);
      expect(Math.max(...numbers) - Math.min(...numbers)).toBeLessThan(6);
      const order = task.orders[labels[n] as number] as number[];
      const ranks = ranksOf(numbers);
      const forward = ranks.join() === order.join();
      expect(forward || ranks.join() === [...order].reverse().join()).toBe(true);
      if (!forward) reversed++;
      // Undo: put each frame back at its rank under the class order (or its reverse): time runs one way.
      const restored = new Array<number>(4);
      const applied = forward ? order : [...order].reverse();
      applied.forEach((rank, slot) => {
        restored[rank] = numbers[slot] as number;
      });
      expect(restored).toEqual([...numbers].sort((a, b) => a - b));
    }
    expect(reversed).toBeGreaterThan(25);
    expect(reversed).toBeLessThan(71);
    expect(new Set(labels).size).toBe(12);
    tf.dispose([sequences, batch.inputs, batch.targets, batch.frameIndices]);
  });

  it('channel splitting keeps one channel per frame, copied to all three', () => {
    const sequences = tf.tidy(() =>
      tf.concat([indexedSequences(4, 8, 2), tf.fill([4, 8, 2, 2, 1], 0.5), tf.fill([4, 8, 2, 2, 1], 0.25)], 4),
    ) as Tensor5D;
    const batch = orderPredictionTask({ channelSplitting: true, motionQuantile: 0 }).makeBatch(sequences, {
      rng: createRng(2),
      training: true,
    });
    const pixels = batch.inputs.arraySync() as number[][][][];
    const kept = new Set<number>();
    for (const frame of pixels) {
      const [r, g, b] = (frame[0] as number[][])[0] as number[];
      expect(r).toBe(g);
      expect(g).toBe(b);
      kept.add(r === 0.5 ? 1 : r === 0.25 ? 2 : 0);
    }
    expect(kept.size).toBe(3);
    tf.dispose([sequences, batch.inputs, batch.targets, batch.frameIndices]);
  });

  it('rejects bad samples and options', () => {
    const task = orderPredictionTask();
    expectRejectsSequencesOf(task, 3, 'orderPredictionTask: needs sequences of at least 4 frames; got 3');
    expect(() => orderPredictionTask({ frames: 5 as 4 })).toThrow('frames must be an integer in 3–4; got 5');
  });
});
