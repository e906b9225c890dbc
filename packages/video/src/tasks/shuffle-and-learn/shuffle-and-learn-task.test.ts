import { createRng, tf } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import { expectRejectsSequencesOf, frameOrderClassificationTests } from '../../test-frame-order-tasks.js';
import { indexedSequences, shownFrames } from '../../test-videos.js';
import { isMonotonic } from '../frame-permutations.js';
import { shuffleAndLearnTask } from './shuffle-and-learn-task.js';

describe('shuffle and learn', () => {
  frameOrderClassificationTests({
    task: () => shuffleAndLearnTask(),
    classes: 2,
    accuracyMetric: 'orderVerificationAccuracy',
    learners: [() => shuffleAndLearnTask({ motionQuantile: 0.5 })],
  });

  it('labels are correct by construction: positives are (b, c, d) in order, negatives put a frame from at least minimumGap outside between b and d', () => {
    const sequences = indexedSequences(64, 12);
    const task = shuffleAndLearnTask({ windowSpan: 8, motionQuantile: 0 });
    expect(task.options.minimumGap).toBe(2);
    const batch = task.makeBatch(sequences, { rng: createRng(3), training: true });
    expect(batch.inputs.shape).toEqual([192, 4, 4, 1]);
    const shown = shownFrames(batch.inputs);
    const labels = Array.from(batch.targets.dataSync());
    const indices = batch.frameIndices.arraySync();
    let reversed = 0;
    for (let n = 0; n < 64; n++) {
      const tuple = shown.slice(3 * n, 3 * n + 3);
      expect(tuple.every((f) => f.sequence === n)).toBe(true);
      const frames = tuple.map((f) => f.frame);
      expect(indices[n]).toEqual(frames);
      expect(isMonotonic(frames)).toBe(labels[n] === 1);
      const [first, middle, last] = frames as [number, number, number];
      const [low, high] = [Math.min(first, last), Math.max(first, last)];
      expect(high - low).toBeLessThan(8);
      if (labels[n] === 0) {
        expect(middle < low || middle > high).toBe(true);
        expect(Math.min(Math.abs(middle - low), Math.abs(middle - high))).toBeGreaterThanOrEqual(2);
        expect(Math.max(high, middle) - Math.min(low, middle)).toBeLessThan(8);
      }
      // Undoing the shuffle: sorted frames are in order.
      expect(isMonotonic([...frames].sort((a, b) => a - b))).toBe(true);
      if (first > last) reversed++;
    }
    const positives = labels.filter((l) => l === 1).length;
    expect(positives).toBeGreaterThan(16);
    expect(positives).toBeLessThan(48);
    expect(reversed).toBeGreaterThan(10);
    tf.dispose([sequences, batch.inputs, batch.targets, batch.frameIndices]);
  });

  it('shrinks the gap to fit sequences shorter than the window, still leaving negatives outside b–d', () => {
    const sequences = indexedSequences(32, 7);
    const task = shuffleAndLearnTask({ windowSpan: 16, minimumGap: 4, motionQuantile: 0 });
    const batch = task.makeBatch(sequences, { rng: createRng(1), training: true });
    const labels = Array.from(batch.targets.dataSync());
    const indices = batch.frameIndices.arraySync();
    labels.forEach((label, n) => {
      const [first, middle, last] = indices[n] as [number, number, number];
      const [low, high] = [Math.min(first, last), Math.max(first, last)];
      // 7 frames: gap min(4, (7 − 3) / 2) = 2, so b ≥ 2 and d ≤ 4.
      expect(low).toBeGreaterThanOrEqual(2);
      expect(high).toBeLessThanOrEqual(4);
      if (label === 0) expect(middle <= low - 2 || middle >= high + 2).toBe(true);
      else expect(middle > low && middle < high).toBe(true);
    });
    tf.dispose([sequences, batch.inputs, batch.targets, batch.frameIndices]);
  });

  it('draws from high-motion windows', () => {
    // Frames change only between frame 14 and 22; elsewhere the sequences stand still.
    const values = new Float32Array(4 * 30 * 16);
    for (let n = 0; n < 4; n++)
      for (let t = 0; t < 30; t++)
        values.fill(Math.min(Math.max(t, 14), 22) * 0.04, (n * 30 + t) * 16, (n * 30 + t + 1) * 16);
    const sequences = tf.tensor5d(values, [4, 30, 4, 4, 1]);
    const task = shuffleAndLearnTask({ windowSpan: 8, motionQuantile: 0.9 });
    for (let seed = 0; seed < 5; seed++) {
      const batch = task.makeBatch(sequences, { rng: createRng(seed), training: true });
      for (const frame of batch.frameIndices.dataSync()) {
        // The windows of most motion start at 13–16 (frames 13–23); uniform windows would reach 0 and 29.
        expect(frame).toBeGreaterThanOrEqual(13);
        expect(frame).toBeLessThanOrEqual(23);
      }
      tf.dispose([batch.inputs, batch.targets, batch.frameIndices]);
    }
    sequences.dispose();
  });

  it('rejects bad samples and options', () => {
    const task = shuffleAndLearnTask();
    expect(() => task.makeBatch(tf.zeros([2, 8, 8, 1]), { rng: createRng(0), training: true })).toThrow(
      'shuffleAndLearnTask: samples must be frame sequences [N, T, H, W, C]; got [2,8,8,1]',
    );
    expectRejectsSequencesOf(task, 4, 'at least 5 frames');
    expect(() => shuffleAndLearnTask({ windowSpan: 4 })).toThrow('windowSpan must be an integer ≥ 5; got 4');
    expect(() => shuffleAndLearnTask({ windowSpan: 8, minimumGap: 3 })).toThrow(
      'shuffleAndLearnTask: a window of 8 frames cannot hold b < c < d with 3 frames free on each side (minimumGap); it needs windowSpan ≥ 9',
    );
    expect(() => shuffleAndLearnTask({ minimumGap: 0 })).toThrow('minimumGap must be an integer ≥ 1; got 0');
  });
});
