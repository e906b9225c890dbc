import { describe, expect, it } from 'vitest';
import { packFrameSequences, skippedVideo } from './pack-frame-sequences.js';
import { VideoError } from './video-error.js';

describe('packFrameSequences', () => {
  it('concatenates videos in order and records each sequence’s file, clip, frames and times', () => {
    const shape = { frames: 2, height: 1, width: 1, channels: 1 };
    const packed = packFrameSequences(
      [
        {
          file: 'a.mp4',
          data: Uint8Array.from([1, 2, 3, 4]),
          indices: [
            [0, 1],
            [5, 6],
          ],
          timestamps: [
            [0, 0.1],
            [0.5, 0.6],
          ],
        },
        { file: 'b.webm', data: Uint8Array.from([9, 8]), indices: [[3, 7]], timestamps: [[0.3, 0.7]] },
      ],
      shape,
    );
    expect(Array.from(packed.sequences.data)).toEqual([1, 2, 3, 4, 9, 8]);
    expect(packed.sequences).toMatchObject({ count: 3, ...shape });
    expect(packed.sequences.sources).toEqual([
      { file: 'a.mp4', clip: 0, frameIndices: [0, 1], timestamps: [0, 0.1] },
      { file: 'a.mp4', clip: 1, frameIndices: [5, 6], timestamps: [0.5, 0.6] },
      { file: 'b.webm', clip: 0, frameIndices: [3, 7], timestamps: [0.3, 0.7] },
    ]);
    expect(packed.files).toEqual(['a.mp4', 'b.webm']);
  });

  it('records a skipped file with its VideoError reason, or `error` for anything else', () => {
    expect(skippedVideo('x.mp4', new VideoError('x.mp4', 'truncated', 'moov atom not found'))).toMatchObject({
      file: 'x.mp4',
      reason: 'truncated',
    });
    expect(skippedVideo('y.mp4', new Error('boom'))).toEqual({
      file: 'y.mp4',
      reason: 'error',
      message: 'y.mp4: boom',
    });
  });
});
