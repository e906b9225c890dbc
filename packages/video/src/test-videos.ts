import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Tensor, type Tensor5D, tf } from '@selfsup/backend';
import { loadIdxImages } from '@selfsup/data';
import type { FfmpegTools } from './ffmpeg/resolve-ffmpeg.node.js';
import { runFfmpeg } from './ffmpeg/run-ffmpeg.js';
import { sequenceBatch } from './sequence-batches.js';
import { writeBouncingItemVideos } from './synthetic/bouncing-item-video.node.js';
import { encodeRawVideo, type VideoCodec } from './synthetic/encode-video.node.js';
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
 * Writes a video in which every frame is damaged and every decoder must say so: ffmpeg's test
 * pattern in lossless FFV1 (one slice per frame, each with a CRC), then 16 bytes flipped in the
 * middle of every packet, where the frame's slice data lies. Any frame a decode touches fails its
 * CRC, whichever frames are requested and whichever ffmpeg build decodes; with concealment the
 * frames still come out. Returns the path and the number of frames.
 */
export async function writeDamagedVideo(
  file: string,
  tools: FfmpegTools,
  options: { frames?: number; fps?: number } = {},
): Promise<{ file: string; frames: number }> {
  const frames = options.frames ?? 90;
  const fps = options.fps ?? 30;
  await runFfmpeg({
    tools,
    file,
    input: `testsrc2=size=160x120:rate=${fps}`,
    inputOptions: ['-hide_banner', '-nostats', '-loglevel', 'level+error', '-f', 'lavfi'],
    outputOptions: ['-frames:v', String(frames), '-c:v', 'ffv1', '-level', '3', '-slices', '1', '-slicecrc', '1'],
    output: file,
    timeoutMs: 120_000,
  });
  const listing = execFileSync(
    tools.ffprobe.path,
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pos,size', '-of', 'json', file],
    { encoding: 'utf8' },
  );
  const packets = (JSON.parse(listing) as { packets: Array<{ pos: string; size: string }> }).packets;
  if (packets.length !== frames) throw new Error(`${file}: ${packets.length} packets for ${frames} frames`);
  const bytes = readFileSync(file);
  for (const packet of packets) {
    const middle = Number(packet.pos) + Math.floor(Number(packet.size) / 2);
    for (let i = 0; i < 16; i++) bytes[middle + i] = (bytes[middle + i] as number) ^ 0xff;
  }
  writeFileSync(file, bytes);
  return { file, frames };
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
