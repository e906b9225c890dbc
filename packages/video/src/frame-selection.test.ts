import { describe, expect, it } from 'vitest';
import { sequenceIndices } from './frame-selection.js';
import { VideoError } from './video-error.js';

describe('sequenceIndices', () => {
  const video = { file: 'a.mp4', frameCount: 300, frameRate: 30 };

  it('takes clips at a frame rate, evenly spaced over the video', () => {
    expect(sequenceIndices(video, { frames: 4, fps: 5, clipsPerVideo: 2 })).toEqual([
      [0, 6, 12, 18],
      [281, 287, 293, 299],
    ]);
    // A rate above the video's takes consecutive frames.
    expect(sequenceIndices(video, { frames: 3, fps: 60, clipsPerVideo: 1 })).toEqual([[0, 1, 2]]);
  });

  it('spreads frames over the whole video, or over each of its equal parts', () => {
    expect(sequenceIndices(video, { frames: 4 })).toEqual([[0, 100, 199, 299]]);
    expect(sequenceIndices(video, { frames: 3, clipsPerVideo: 3 })).toEqual([
      [0, 50, 99],
      [100, 150, 199],
      [200, 250, 299],
    ]);
  });

  it('says when a video is too short for its sequences', () => {
    const short = { file: 'short.mp4', frameCount: 10, frameRate: 10 };
    expect(() => sequenceIndices(short, { frames: 4, fps: 2, clipsPerVideo: 1 })).toThrow(
      'short.mp4: too short: 10 frames (1.00 s at 10.00 fps), but a clip of 4 frames at 2 fps spans 16',
    );
    const error = (() => {
      try {
        sequenceIndices(short, { frames: 4, clipsPerVideo: 3 });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(VideoError);
    expect((error as VideoError).reason).toBe('out-of-range');
    expect((error as VideoError).message).toContain('too short: 10 frames, fewer than 3 sequences of 4 frames need');
  });
});
