// Node: bouncing-item videos are encoded to files by ffmpeg.
import { writeFile } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { type EncodeVideoOptions, encodeRawVideo, type VideoCodec } from './encode-video.node.js';
import { type BouncingItemOptions, renderBouncingItem } from './render-bouncing-item.js';

/** Items to animate: grayscale images [count, height, width] with labels (e.g. `loadIdxImages`). */
export interface ItemSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

export interface BouncingItemVideosOptions extends BouncingItemOptions, Omit<EncodeVideoOptions, 'codec'> {
  /** Which items get a video (one each), by index. */
  items: readonly number[];
  /** One codec, or one per video cycled (e.g. ['h264', 'vp9'] alternates .mp4 and .webm). Default h264. */
  codec?: VideoCodec | readonly VideoCodec[];
  /** Frames per second of the written files (default 12). */
  fps?: number;
  /** Videos encoded at once (default 2). */
  concurrency?: number;
  /** File name prefix (default `item`). */
  prefix?: string;
}

/** A written video and the item in it. */
export interface BouncingItemVideoFile {
  file: string;
  item: number;
  label: number;
  codec: VideoCodec;
}

const EXTENSIONS: Record<VideoCodec, string> = { h264: 'mp4', vp9: 'webm', vp8: 'webm', ffv1: 'mkv' };

/**
 * Writes one bouncing-item video per selected item into `dir` (e.g. Fashion-MNIST items: real
 * images in synthetic motion) and a `manifest.json` listing file, item index and label. Each
 * video's motion is seeded by `seed` and the item index.
 *
 * @example
 * const train = await loadIdxImages({ split: 'train' });
 * const videos = await writeBouncingItemVideos(train, 'videos/train', { items: [0, 1, 2], codec: ['h264', 'vp9'] });
 * @throws if an item index is outside the set, or when encoding fails (naming the file).
 */
export async function writeBouncingItemVideos(
  set: ItemSet,
  dir: string,
  options: BouncingItemVideosOptions,
): Promise<BouncingItemVideoFile[]> {
  const out = resolvePath(dir);
  const codecs = typeof options.codec === 'string' ? [options.codec] : (options.codec ?? ['h264']);
  if (codecs.length === 0) throw new Error('writeBouncingItemVideos: codec list is empty');
  const pixels = set.height * set.width;
  const prefix = options.prefix ?? 'item';
  const jobs = options.items.map((item, k) => {
    if (!Number.isInteger(item) || item < 0 || item >= set.count) {
      throw new Error(`writeBouncingItemVideos: item ${item} is outside the ${set.count} images`);
    }
    const codec = codecs[k % codecs.length] as VideoCodec;
    const name = `${prefix}-${String(item).padStart(5, '0')}.${EXTENSIONS[codec]}`;
    return { item, codec, file: join(out, name), label: set.labels[item] as number };
  });
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++] as (typeof jobs)[number];
      const video = renderBouncingItem(
        {
          pixels: set.images.subarray(job.item * pixels, (job.item + 1) * pixels),
          height: set.height,
          width: set.width,
        },
        { ...options, seed: `${options.seed ?? 0}/${job.item}` },
      );
      await encodeRawVideo(
        { data: video.data, width: video.frameSize, height: video.frameSize, channels: 1, fps: options.fps ?? 12 },
        job.file,
        { ...options, codec: job.codec },
      );
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  const manifest: BouncingItemVideoFile[] = jobs.map(({ file, item, label, codec }) => ({ file, item, label, codec }));
  await writeFile(
    join(out, 'manifest.json'),
    `${JSON.stringify(
      manifest.map((entry) => ({ ...entry, file: entry.file.slice(out.length + 1) })),
      null,
      1,
    )}\n`,
  );
  return manifest;
}
