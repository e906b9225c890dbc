import { createRng, tf } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import { expectRejectsSequencesOf, frameOrderClassificationTests } from '../../test-frame-order-tasks.js';
import { indexedSequences, shownFrames } from '../../test-videos.js';
import { arrowOfTimeTask } from './arrow-of-time-task.js';

describe('arrow of time', () => {
  frameOrderClassificationTests({
    task: () => arrowOfTimeTask(),
    classes: 2,
    accuracyMetric: 'arrowOfTimeAccuracy',
    learnableBecause: 'the bouncing items slow down: time has an arrow',
  });

  it('labels are correct by construction: backward clips, reversed, play forward', () => {
    const sequences = indexedSequences(64, 12);
    const task = arrowOfTimeTask({ frames: 4, frameStride: 3, motionQuantile: 0 });
    const batch = task.makeBatch(sequences, { rng: createRng(6), training: true });
    const shown = shownFrames(batch.inputs);
    const labels = Array.from(batch.targets.dataSync());
    for (let n = 0; n < 64; n++) {
      const frames = shown.slice(4 * n, 4 * n + 4).map((f) => f.frame);
      const playing = labels[n] === 1 ? frames : [...frames].reverse();
      expect(playing.slice(1).map((f, i) => f - (playing[i] as number))).toEqual([3, 3, 3]);
    }
    const forward = labels.filter((l) => l === 1).length;
    expect(forward).toBeGreaterThan(16);
    expect(forward).toBeLessThan(48);
    tf.dispose([sequences, batch.inputs, batch.targets, batch.frameIndices]);
  });

  it('rejects too short sequences', () => {
    const task = arrowOfTimeTask();
    expectRejectsSequencesOf(task, 6, 'arrowOfTimeTask: needs sequences of at least 7 frames; got 6');
  });
});
