import { createRng, tf } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import { expectRejectsSequencesOf, frameOrderClassificationTests } from '../../test-frame-order-tasks.js';
import { indexedSequences, shownFrames } from '../../test-videos.js';
import { missingFrameTask } from './missing-frame-task.js';

describe('missing frame', () => {
  frameOrderClassificationTests({
    task: () => missingFrameTask(),
    classes: 4,
    accuracyMetric: 'missingFrameAccuracy',
    learners: [() => missingFrameTask({ mode: 'choose' }), () => missingFrameTask({ mode: 'regress' })],
  });

  it('choose: the labelled candidate is the hidden middle frame; the others are neither context nor near it', () => {
    const sequences = indexedSequences(48, 16);
    const task = missingFrameTask({
      contextFrames: 2,
      frameStride: 2,
      candidates: 4,
      minimumDistractorDistance: 3,
      motionQuantile: 0,
    });
    const batch = task.makeBatch(sequences, { rng: createRng(8), training: true });
    expect(batch.inputs.shape).toEqual([48 * 8, 4, 4, 1]);
    const shown = shownFrames(batch.inputs);
    const labels = Array.from(batch.targets.dataSync());
    const missing = Array.from(batch.missingFrames.dataSync());
    for (let n = 0; n < 48; n++) {
      const rows = shown.slice(8 * n, 8 * n + 8);
      expect(rows.every((f) => f.sequence === n)).toBe(true);
      const middle = missing[n] as number;
      const context = rows.slice(0, 4).map((f) => f.frame);
      expect(context).toEqual([middle - 4, middle - 2, middle + 2, middle + 4]);
      const candidates = rows.slice(4).map((f) => f.frame);
      expect(candidates[labels[n] as number]).toBe(middle);
      candidates.forEach((frame, k) => {
        if (k === labels[n]) return;
        expect(context).not.toContain(frame);
        expect(Math.abs(frame - middle)).toBeGreaterThanOrEqual(3);
      });
    }
    expect(new Set(labels).size).toBe(4);
    tf.dispose([sequences, batch.inputs, batch.targets, batch.frameIndices, batch.missingFrames]);
  });

  it('regress: the target is the hidden frame, resized', () => {
    const sequences = indexedSequences(6, 9, 8);
    const task = missingFrameTask({ mode: 'regress', contextFrames: 1, targetSize: 4, motionQuantile: 0 });
    const batch = task.makeBatch(sequences, { rng: createRng(8), training: true });
    expect(batch.inputs.shape).toEqual([12, 8, 8, 1]);
    expect(batch.targets.shape).toEqual([6, 16]);
    const targets = batch.targets.arraySync() as number[][];
    const missing = Array.from(batch.missingFrames.dataSync());
    const shown = shownFrames(batch.inputs);
    for (let n = 0; n < 6; n++) {
      expect(new Set(targets[n])).toEqual(new Set([1000 * n + (missing[n] as number)]));
      expect(shown.slice(2 * n, 2 * n + 2).map((f) => f.frame)).toEqual([missing[n]! - 1, missing[n]! + 1]);
    }
    tf.dispose([sequences, batch.inputs, batch.targets, batch.frameIndices, batch.missingFrames]);
  });

  it('says when sequences are too short for the distractors, and rejects an unknown mode', () => {
    expectRejectsSequencesOf(
      missingFrameTask({ candidates: 4 }),
      6,
      /missingFrameTask: sequences of 6 frames leave [01] frame\(s\) for distractors; 3 are needed/,
    );
    expect(() => missingFrameTask({ mode: 'predict' as 'choose' })).toThrow(
      "mode must be choose or regress; got 'predict'",
    );
  });
});
