import { describe, expect, it } from 'vitest';
import { labeledFrames } from './labeled-frames.js';
import type { FrameSequences } from './video-folder.js';

/** 2 sequences of 5 frames of 2×2 gray pixels; every pixel of frame f of sequence s is 10·s + f. */
function numberedSequences(): FrameSequences {
  const data = new Uint8Array(2 * 5 * 4);
  for (let s = 0; s < 2; s++) for (let f = 0; f < 5; f++) data.fill(10 * s + f, (s * 5 + f) * 4, (s * 5 + f + 1) * 4);
  const sources = [0, 1].map((s) => ({ file: `v${s}.mp4`, clip: 0, frameIndices: [0, 1, 2, 3, 4], timestamps: [] }));
  return { data, count: 2, frames: 5, height: 2, width: 2, channels: 1, sources };
}

describe('labeledFrames', () => {
  it('takes evenly spaced frames of each sequence, first and last included, each with its sequence label', () => {
    const probe = labeledFrames(numberedSequences(), [7, 3], 3);
    expect(probe).toMatchObject({ count: 6, height: 2, width: 2, channels: 1 });
    // Frames 0, 2, 4 of sequence 0, then of sequence 1: every pixel of a frame says which it is.
    expect(Array.from({ length: 6 }, (_, k) => probe.images[k * 4])).toEqual([0, 2, 4, 10, 12, 14]);
    expect(Array.from(probe.images.subarray(4, 8))).toEqual([2, 2, 2, 2]);
    expect(Array.from(probe.labels)).toEqual([7, 7, 7, 3, 3, 3]);
    expect(Array.from(labeledFrames(numberedSequences(), [1, 2], 1).images)).toEqual([0, 0, 0, 0, 10, 10, 10, 10]);
  });

  it('refuses labels that do not match the sequences and frame counts the sequences do not have', () => {
    expect(() => labeledFrames(numberedSequences(), [1], 2)).toThrow('labeledFrames: 1 labels for 2 sequences');
    expect(() => labeledFrames(numberedSequences(), [1, 2], 6)).toThrow(
      'labeledFrames: perSequence must be an integer from 1 to 5, got 6',
    );
    expect(() => labeledFrames(numberedSequences(), [1, -1], 2)).toThrow(
      'labeledFrames: the label of sequence 1 is -1, not an integer in 0–255',
    );
  });
});
