// Test fixtures: real video files (Fashion-MNIST items moving in a larger frame, encoded by ffmpeg
// as mp4/h264 and webm/VP9), with an unreadable "video" mixed in when asked. Not part of the package.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadIdxImages } from '@selfsup/data';
import { writeBouncingItemVideos } from '@selfsup/video';

/** Writes `count` short videos into `dir` (plus `broken.mp4`, not a video, with `corrupt`); returns their paths. */
export async function makeVideoFolder(
  dir: string,
  options: { count: number; frames?: number; frameSize?: number; corrupt?: boolean },
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const items = await loadIdxImages({ split: 'train' });
  const videos = await writeBouncingItemVideos(items, dir, {
    items: Array.from({ length: options.count }, (_, i) => i * 7),
    frames: options.frames ?? 16,
    frameSize: options.frameSize ?? 48,
    fps: 12,
    codec: ['h264', 'vp9'],
    seed: 1,
  });
  if (options.corrupt) writeFileSync(join(dir, 'broken.mp4'), 'this is not a video\n');
  return videos.map((v) => v.file);
}
