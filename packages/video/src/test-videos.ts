import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Tensor, type Tensor5D, tf } from '@selfsup/backend';
import { loadIdxImages } from '@selfsup/data';
import { sequenceBatch } from './sequence-batches.js';
import { writeBouncingItemVideos } from './synthetic/bouncing-item-video.js';
import { encodeRawVideo, type VideoCodec } from './synthetic/encode-video.js';
import { loadVideos } from './video-folder.js';

/** A fresh temporary folder for a test file's videos. */
export function temporaryFolder(label: string): string {
  return mkdtempSync(join(tmpdir(), `selfsup-video-${label}-`));
}

/** The colours of frame i of {@link writeColourCodedVideo}: left half and right half, RGB. */
export function frameColours(i: number): { left: [number, number, number]; right: [number, number, number] } {
  return {
    left: [(i * 8) % 256, 255 - ((i * 8) % 256), (i * 40) % 256],
    right: [(i * 24 + 60) % 256, (i * 5) % 256, 200],
  };
}

/**
 * Writes a video whose frame i has a known colour on each half ({@link frameColours}): with the
 * lossless `ffv1` codec the decoded pixels equal these exactly.
 */
export async function writeColourCodedVideo(
  file: string,
  options: { frames: number; fps: number; width?: number; height?: number; codec?: VideoCodec; faststart?: boolean },
): Promise<string> {
  const width = options.width ?? 64;
  const height = options.height ?? 48;
  const data = new Uint8Array(options.frames * height * width * 3);
  for (let i = 0; i < options.frames; i++) {
    const { left, right } = frameColours(i);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const colour = x < width / 2 ? left : right;
        data.set(colour, ((i * height + y) * width + x) * 3);
      }
    }
  }
  return encodeRawVideo({ data, width, height, channels: 3, fps: options.fps }, file, {
    codec: options.codec ?? 'ffv1',
    ...(options.faststart === undefined ? {} : { faststart: options.faststart }),
  });
}

/**
 * Real frames for task tests: bouncing Fashion-MNIST items (the embedded subset), encoded to
 * h264 and VP9 with ffmpeg, decoded back at 32×32 gray — sequences [count, frames, 32, 32, 1].
 */
export async function bouncingItemSequences(
  options: { videos?: number; frames?: number; seed?: number } = {},
): Promise<{
  sequences: Tensor5D;
  labels: number[];
}> {
  const train = await loadIdxImages({ split: 'train' });
  const videos = options.videos ?? 8;
  const dir = temporaryFolder('items');
  const written = await writeBouncingItemVideos(train, dir, {
    items: Array.from({ length: videos }, (_, i) => i * 7),
    frames: options.frames ?? 16,
    frameSize: 48,
    codec: ['h264', 'vp9'],
    seed: options.seed ?? 0,
  });
  const loaded = await loadVideos(
    written.map((v) => v.file),
    { frames: { count: options.frames ?? 16 }, size: 32, channels: 1, onError: 'throw' },
  );
  return {
    sequences: sequenceBatch(
      loaded.sequences,
      Array.from({ length: loaded.sequences.count }, (_, i) => i),
    ),
    labels: written.map((v) => v.label),
  };
}

/**
 * Sequences whose frame t of sequence n is filled with the value 1000·n + t: the frame a task
 * shows can be read back from its pixels, to check labels by construction.
 */
export function indexedSequences(count: number, frames: number, size = 4, channels = 1): Tensor5D {
  const per = size * size * channels;
  const values = new Float32Array(count * frames * per);
  for (let n = 0; n < count; n++)
    for (let t = 0; t < frames; t++) values.fill(1000 * n + t, (n * frames + t) * per, (n * frames + t + 1) * per);
  return tf.tensor5d(values, [count, frames, size, size, channels]);
}

/** The (sequence, frame) each input row shows, read from the pixels of {@link indexedSequences}. */
export function shownFrames(inputs: Tensor): Array<{ sequence: number; frame: number }> {
  const [rows] = inputs.shape as [number];
  const values = tf.tidy(() => tf.reshape(inputs, [rows, -1]).slice([0, 0], [rows, 1]).dataSync());
  return Array.from(values, (v) => ({ sequence: Math.floor(v / 1000), frame: Math.round(v % 1000) }));
}
