import { createRng, tf } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import { frameOrderClassificationTests } from '../../test-frame-order-tasks.js';
import { indexedSequences, shownFrames } from '../../test-videos.js';
import { isMonotonic } from '../frame-permutations.js';
import { oddOneOutTask } from './odd-one-out-task.js';

describe('odd-one-out (O3N)', () => {
  frameOrderClassificationTests({ task: () => oddOneOutTask(), classes: 4, accuracyMetric: 'oddOneOutAccuracy' });

  it('labels are correct by construction: only the labelled sequence is out of order', () => {
    const sequences = indexedSequences(40, 12);
    const task = oddOneOutTask({ sequences: 5, framesPerSequence: 3, windowSpan: 6 });
    const batch = task.makeBatch(sequences, { rng: createRng(2), training: true });
    expect(batch.inputs.shape).toEqual([40 * 15, 4, 4, 1]);
    const shown = shownFrames(batch.inputs);
    const labels = Array.from(batch.targets.dataSync());
    for (let n = 0; n < 40; n++) {
      const rows = shown.slice(15 * n, 15 * n + 15);
      expect(rows.every((f) => f.sequence === n)).toBe(true);
      for (let s = 0; s < 5; s++) {
        const frames = rows.slice(3 * s, 3 * s + 3).map((f) => f.frame);
        expect(new Set(frames).size).toBe(3);
        if (s === labels[n]) {
          expect(isMonotonic(frames)).toBe(false);
          // Undo: sorted, the odd sequence is in order like the others.
          expect(isMonotonic([...frames].sort((a, b) => a - b))).toBe(true);
        } else {
          expect(frames).toEqual([...frames].sort((a, b) => a - b));
        }
      }
    }
    expect(new Set(labels).size).toBe(5);
    tf.dispose([sequences, batch.inputs, batch.targets, batch.frameIndices]);
  });

  it('rejects bad options', () => {
    expect(() => oddOneOutTask({ framesPerSequence: 2 })).toThrow('framesPerSequence must be an integer ≥ 3; got 2');
  });
});
