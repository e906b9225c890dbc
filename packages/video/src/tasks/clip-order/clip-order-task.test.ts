import { createRng, tf } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import { expectRejectsSequencesOf, frameOrderClassificationTests } from '../../test-frame-order-tasks.js';
import { indexedSequences, shownFrames } from '../../test-videos.js';
import { clipOrderTask } from './clip-order-task.js';

describe('clip order prediction (VCOP)', () => {
  frameOrderClassificationTests({
    task: () => clipOrderTask(),
    classes: 6,
    accuracyMetric: 'clipOrderAccuracy',
    learners: [() => clipOrderTask({ clipLength: 2 })],
  });

  it('labels are correct by construction: each slot holds a whole clip, and the label permutation puts the clips back in order', () => {
    const sequences = indexedSequences(48, 20);
    const task = clipOrderTask({ clips: 3, clipLength: 3, frameStride: 2, clipGap: 1 });
    expect(task.permutations).toHaveLength(6);
    const batch = task.makeBatch(sequences, { rng: createRng(4), training: true });
    expect(batch.inputs.shape).toEqual([48 * 9, 4, 4, 1]);
    const shown = shownFrames(batch.inputs);
    const labels = Array.from(batch.targets.dataSync());
    for (let n = 0; n < 48; n++) {
      const rows = shown.slice(9 * n, 9 * n + 9);
      expect(rows.every((f) => f.sequence === n)).toBe(true);
      const clips = [0, 1, 2].map((slot) => rows.slice(3 * slot, 3 * slot + 3).map((f) => f.frame));
      for (const clip of clips) expect([clip[1]! - clip[0]!, clip[2]! - clip[1]!]).toEqual([2, 2]);
      const permutation = task.permutations[labels[n] as number] as number[];
      const restored = new Array<number[]>(3);
      permutation.forEach((rank, slot) => {
        restored[rank] = clips[slot] as number[];
      });
      // In order, clips follow each other with the gap: start of the next = end of this + 1 + gap.
      expect(restored[1]![0]! - restored[0]![2]!).toBe(2);
      expect(restored[2]![0]! - restored[1]![2]!).toBe(2);
    }
    expect(new Set(labels).size).toBe(6);
    expect(clipOrderTask({ clips: 4 }).permutations).toHaveLength(24);
    tf.dispose([sequences, batch.inputs, batch.targets, batch.frameIndices]);
  });

  it('rejects too short sequences', () => {
    const task = clipOrderTask();
    expectRejectsSequencesOf(task, 10, 'clipOrderTask: needs sequences of at least 11 frames; got 10');
  });
});
