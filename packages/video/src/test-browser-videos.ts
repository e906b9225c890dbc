// Global setup of the browser tests (runs in Node, not built): writes real WebM videos with the
// repo's ffmpeg helpers, extracts frames from them with ffmpeg (the Node path), and hands the files
// and ffmpeg's frames to the tests in Chromium, which extract the same frames with <video>.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { FrameExtractionOptions, FrameRequest } from './extract-frames.js';
import { extractFrameBytes } from './frame-decoder.node.js';
import { probeVideo } from './probe-video.node.js';
import { writeLavfiVideo } from './synthetic/encode-video.node.js';

/** What a browser test compares: ffmpeg's frames for one request on one video. */
export interface FfmpegFrames {
  video: string;
  request: FrameRequest;
  options: Pick<FrameExtractionOptions, 'size' | 'resize' | 'channels'>;
  /** Base64 of the frames' bytes [count, H, W, C]. */
  data: string;
  shape: number[];
  indices: number[];
  timestamps: number[];
}

/** The videos (base64 WebM, with ffprobe's metadata) and ffmpeg's frames of each request. */
export interface BrowserVideoFixtures {
  videos: Record<string, { webm: string; frameCount: number; frameRate: number; width: number; height: number }>;
  frames: FfmpegFrames[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    videoFixtures: BrowserVideoFixtures;
  }
}

/** testsrc2 (colour bars, moving shapes, a counter): VP9 and VP8, 12 frames/s, 2 s, 96×64. */
const VIDEOS = { vp9: 'testsrc2-vp9.webm', vp8: 'testsrc2-vp8.webm' } as const;

const REQUESTS: Array<Omit<FfmpegFrames, 'video' | 'data' | 'shape' | 'indices' | 'timestamps'>> = [
  { request: { count: 6 }, options: {} },
  { request: { indices: [0, 5, 5, 23, 11] }, options: { channels: 1 } },
  { request: { timestamps: [0, 0.1, 0.5, 1.0, 1.99, 2.0] }, options: {} },
  { request: { count: 4 }, options: { size: { width: 48, height: 32 } } },
  { request: { count: 4 }, options: { size: 40, resize: 'crop' } },
  { request: { count: 4 }, options: { size: 40, resize: 'pad' } },
];

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'selfsup-browser-videos-'));
  const fixtures: BrowserVideoFixtures = { videos: {}, frames: [] };
  for (const [codec, name] of Object.entries(VIDEOS) as Array<[keyof typeof VIDEOS, string]>) {
    const file = join(dir, name);
    await writeLavfiVideo('testsrc2', file, { codec, width: 96, height: 64, fps: 12, durationSeconds: 2, crf: 20 });
    const metadata = await probeVideo(file);
    fixtures.videos[name] = {
      webm: (await readFile(file)).toString('base64'),
      frameCount: metadata.frameCount,
      frameRate: metadata.frameRate,
      width: metadata.width,
      height: metadata.height,
    };
    for (const { request, options } of REQUESTS) {
      const frames = await extractFrameBytes(file, request, options);
      fixtures.frames.push({
        video: name,
        request,
        options,
        data: Buffer.from(frames.data).toString('base64'),
        shape: frames.shape,
        indices: frames.indices,
        timestamps: frames.timestamps,
      });
    }
  }
  project.provide('videoFixtures', fixtures);
  return () => rm(dir, { recursive: true, force: true });
}
