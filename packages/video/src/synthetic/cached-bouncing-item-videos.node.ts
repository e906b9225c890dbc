import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { createRng } from '@selfsup/backend';
import {
  type BouncingItemVideoFile,
  type BouncingItemVideosOptions,
  type ItemSet,
  writeBouncingItemVideos,
} from './bouncing-item-video.node.js';

/** One split of {@link cachedBouncingItemVideos}: the items it animates and how many videos it gets. */
export interface BouncingItemSplit {
  /** Grayscale items with labels (e.g. the Fashion-MNIST training or test images). */
  items: ItemSet;
  /** Videos to write, one per item, the items drawn without repeats by the seed. */
  count: number;
}

/** Options of {@link cachedBouncingItemVideos}: the splits, and how every video moves and is encoded. */
export interface CachedBouncingItemVideosOptions extends Omit<BouncingItemVideosOptions, 'items' | 'prefix'> {
  /** The splits by name (`train`, `test`): each a folder of its own. */
  splits: Record<string, BouncingItemSplit>;
  /** Says whether the videos were reused or are being written. */
  log?: (line: string) => void;
}

/** What {@link cachedBouncingItemVideos} found or wrote. */
export interface CachedBouncingItemVideos {
  /** `<root>/<key>`: the folder of these settings, a sub-folder per split. */
  dir: string;
  /** Identifies the settings and the items (12 hex digits of a SHA-256). */
  key: string;
  /** The videos of each split, as `writeBouncingItemVideos` lists them (file, item, label, codec). */
  splits: Record<string, BouncingItemVideoFile[]>;
  /** True when every video was there already. */
  reused: boolean;
  /** Seconds spent finding or writing them. */
  seconds: number;
}

/** Settings that do not change the videos. */
const RUNTIME_OPTIONS = new Set(['splits', 'log', 'concurrency', 'threads', 'timeoutMs', 'tools', 'resolve']);

/** What determines the videos: the motion and encoding, each split's count and a digest of its items. */
function videoSettings(options: CachedBouncingItemVideosOptions): Record<string, unknown> {
  const splits = Object.fromEntries(
    Object.entries(options.splits).map(([name, { items, count }]) => {
      const digest = createHash('sha256').update(items.images).update(items.labels).digest('hex').slice(0, 16);
      return [name, { count, items: { count: items.count, height: items.height, width: items.width, digest } }];
    }),
  );
  const motion = Object.entries(options).filter(([name]) => !RUNTIME_OPTIONS.has(name));
  return {
    format: 'selfsup-bouncing-item-videos',
    version: 1,
    splits,
    ...Object.fromEntries(motion.sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** The videos listed in `<dir>/<split>/manifest.json`, when the manifest and every file are there. */
async function readManifest(dir: string): Promise<BouncingItemVideoFile[] | undefined> {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return undefined;
  const entries = JSON.parse(await readFile(path, 'utf8')) as BouncingItemVideoFile[];
  const videos = entries.map((entry) => ({ ...entry, file: join(dir, entry.file) }));
  return videos.every((video) => existsSync(video.file)) ? videos : undefined;
}

/**
 * Bouncing-item videos for several splits (e.g. Fashion-MNIST training items for pretraining and
 * test items held out), written once per settings and reused after: the videos of one set of
 * settings live in `<root>/<key>`, `key` a digest of the motion, the encoding, each split's count
 * and its items' pixels and labels. A folder is reused when its `settings.json` (written last) and
 * every manifest and file are there; otherwise its splits are written again with
 * {@link writeBouncingItemVideos} (`<split>/item-NNNNN.mp4|webm` and a `manifest.json` of labels).
 * Each split draws its items from the seed (without repeats, in index order).
 *
 * @example
 * const [train, test] = await Promise.all([loadIdxImages({ split: 'train' }), loadIdxImages({ split: 'test' })]);
 * const videos = await cachedBouncingItemVideos('runs/videos', {
 *   splits: { train: { items: train, count: 300 }, test: { items: test, count: 100 } },
 *   frames: 24, frameSize: 48, codec: ['h264', 'vp9'], seed: 0,
 * });
 * videos.splits.test[0]; // { file: 'runs/videos/<key>/test/item-00012.webm', item: 12, label: 3, codec: 'vp9' }
 * @throws if a split asks for more videos than it has items, and as {@link writeBouncingItemVideos}.
 */
export async function cachedBouncingItemVideos(
  root: string,
  options: CachedBouncingItemVideosOptions,
): Promise<CachedBouncingItemVideos> {
  const started = performance.now();
  for (const [name, { items, count }] of Object.entries(options.splits)) {
    if (!Number.isInteger(count) || count < 1 || count > items.count) {
      throw new Error(`cachedBouncingItemVideos: split '${name}' asks for ${count} videos of its ${items.count} items`);
    }
  }
  const settings = videoSettings(options);
  const text = `${JSON.stringify(settings, null, 2)}\n`;
  const key = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const dir = resolvePath(root, key);
  const settingsPath = join(dir, 'settings.json');
  const names = Object.keys(options.splits);
  const seconds = () => (performance.now() - started) / 1000;
  if (existsSync(settingsPath) && (await readFile(settingsPath, 'utf8')) === text) {
    const found = await Promise.all(names.map((name) => readManifest(join(dir, name))));
    if (found.every((videos): videos is BouncingItemVideoFile[] => videos !== undefined)) {
      options.log?.(`reusing the videos in ${dir} (${found.map((videos) => videos.length).join(' + ')})`);
      return {
        dir,
        key,
        splits: Object.fromEntries(names.map((name, k) => [name, found[k] as BouncingItemVideoFile[]])),
        reused: true,
        seconds: seconds(),
      };
    }
  }
  const { splits: _splits, log, ...writing } = options;
  await rm(settingsPath, { force: true });
  const counts = names.map((name) => options.splits[name]?.count).join(' + ');
  log?.(`writing ${counts} videos (${[writing.codec ?? 'h264'].flat().join(', ')}) with ffmpeg into ${dir}`);
  const rng = createRng(options.seed ?? 0).fork('videos');
  const splits: Record<string, BouncingItemVideoFile[]> = {};
  for (const [name, { items, count }] of Object.entries(options.splits)) {
    const picked = Array.from(rng.fork(name).permutation(items.count).subarray(0, count)).sort((a, b) => a - b);
    await rm(join(dir, name), { recursive: true, force: true });
    await mkdir(join(dir, name), { recursive: true });
    splits[name] = await writeBouncingItemVideos(items, join(dir, name), { ...writing, items: picked });
  }
  await writeFile(settingsPath, text);
  return { dir, key, splits, reused: false, seconds: seconds() };
}
