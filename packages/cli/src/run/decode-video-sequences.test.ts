import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpeg, VideoError, writeLavfiVideo } from '@selfsup/video';
import { describe, expect, it } from 'vitest';
import { decodeVideoSequences, sequenceIndices } from './decode-video-sequences.js';

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
    expect(sequenceIndices(video, { frames: 4, clipsPerVideo: 1 })).toEqual([[0, 100, 199, 299]]);
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

describe('decodeVideoSequences', () => {
  it('decodes the frames it planned, at the rate asked, and skips what it cannot read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfsup-decode-'));
    const tools = await resolveFfmpeg();
    const file = await writeLavfiVideo('testsrc2', join(dir, 'a.mp4'), {
      width: 64,
      height: 48,
      fps: 12,
      durationSeconds: 2,
      tools,
    });
    writeFileSync(join(dir, 'broken.webm'), 'not a video');
    const decoded = await decodeVideoSequences([join(dir, 'broken.webm'), file], {
      frames: 3,
      fps: 4,
      clipsPerVideo: 2,
      size: [16, 24],
      channels: 3,
      tools,
      concurrency: 2,
      onError: 'skip',
    });
    expect(decoded.files).toEqual([file]);
    expect(decoded.skipped).toEqual([
      expect.objectContaining({ file: join(dir, 'broken.webm'), reason: 'unreadable' }),
    ]);
    const { sequences } = decoded;
    expect([sequences.count, sequences.frames, sequences.height, sequences.width, sequences.channels]).toEqual([
      2, 3, 16, 24, 3,
    ]);
    expect(sequences.data).toHaveLength(2 * 3 * 16 * 24 * 3);
    // 24 frames at 12 fps, frames 3 apart (4 fps): the clips start at frames 0 and 17.
    expect(sequences.sources.map((source) => source.frameIndices)).toEqual([
      [0, 3, 6],
      [17, 20, 23],
    ]);
    for (const { timestamps } of sequences.sources) {
      expect((timestamps[1] as number) - (timestamps[0] as number)).toBeCloseTo(0.25, 3);
    }
    // testsrc2 moves: frames of a clip differ.
    const frameBytes = 16 * 24 * 3;
    const first = sequences.data.subarray(0, frameBytes);
    const second = sequences.data.subarray(frameBytes, 2 * frameBytes);
    expect(first.some((value, i) => value !== second[i])).toBe(true);
    await expect(
      decodeVideoSequences([join(dir, 'broken.webm')], {
        frames: 3,
        clipsPerVideo: 1,
        size: [16, 24],
        channels: 3,
        tools,
        concurrency: 1,
        onError: 'throw',
      }),
    ).rejects.toThrow(/broken\.webm/);
  }, 60_000);
});
