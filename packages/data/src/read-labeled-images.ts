import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { listImageFiles } from '@selfsup/augment/image-files';
import { type Tensor4D, tf } from '@selfsup/backend';
import { type LabeledImages, loadIdxImages } from './fashion-mnist.js';
import { isIdxDirectory } from './idx-directory.js';
import type { SkippedFile } from './too-few-examples-error.js';

/** Labeled images read from a folder, a CSV or an IDX directory, with the class names by label. */
export interface LabeledImageSet {
  /** Pixels [count, height, width, channels] 0–255 and a label per image. */
  images: LabeledImages;
  /** The class name of each label (label = index). */
  classes: string[];
  /** Unreadable images left out, and why. */
  skipped: SkippedFile[];
  /** The held-out split, when the source has one (IDX `t10k` files). */
  test?: LabeledImages;
}

/** What size and channels {@link readLabeledImages} reads images at (e.g. an encoder's input). */
export interface ReadLabeledImagesOptions {
  /** `[height, width]`: images are resized and center-cropped to it. */
  size: [number, number];
  channels: 1 | 3;
}

async function decodeAll(
  files: Array<{ path: string; label: number }>,
  options: ReadLabeledImagesOptions,
): Promise<{ images: Uint8Array; labels: Uint8Array; skipped: SkippedFile[] }> {
  // sharp loads here, when images are read, not when @selfsup/data is imported.
  const { imageFolderBatches } = await import('@selfsup/augment');
  const labelOf = new Map(files.map((f) => [f.path, f.label]));
  const pixels = options.size[0] * options.size[1] * options.channels;
  const chunks: Uint8Array[] = [];
  const labels: number[] = [];
  const batches = imageFolderBatches('', {
    batchSize: 128,
    size: options.size,
    channels: options.channels,
    files: files.map((f) => f.path),
    onError: 'skip',
  });
  for await (const { images, paths } of batches) {
    const values = tf.tidy(() => tf.round(tf.mul(images as Tensor4D, 255)).dataSync());
    images.dispose();
    chunks.push(Uint8Array.from(values));
    for (const path of paths) labels.push(labelOf.get(path) as number);
  }
  const all = new Uint8Array(labels.length * pixels);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return { images: all, labels: Uint8Array.from(labels), skipped: batches.report.skipped };
}

async function decodedSet(
  files: Array<{ path: string; label: number }>,
  classes: string[],
  options: ReadLabeledImagesOptions,
): Promise<LabeledImageSet> {
  const { images, labels, skipped } = await decodeAll(files, options);
  const [height, width] = options.size;
  return {
    images: { images, labels, count: labels.length, height, width, channels: options.channels },
    classes,
    skipped,
  };
}

function checkClassCount(source: string, count: number, expected: string): void {
  if (count < 2) throw new Error(`${source}: ${expected}; found ${count}`);
  if (count > 256) throw new Error(`${source}: ${count} classes; at most 256 are supported`);
}

async function fromClassFolders(dir: string, options: ReadLabeledImagesOptions): Promise<LabeledImageSet> {
  const entries = await readdir(dir, { withFileTypes: true });
  const classes = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  checkClassCount(dir, classes.length, 'expected one sub-folder per class (at least 2)');
  const files: Array<{ path: string; label: number }> = [];
  for (const [label, name] of classes.entries()) {
    for await (const path of listImageFiles(join(dir, name))) files.push({ path, label });
  }
  return decodedSet(files, classes, options);
}

async function fromCsv(file: string, options: ReadLabeledImagesOptions): Promise<LabeledImageSet> {
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines[0]?.toLowerCase().replace(/\s/g, '') === 'path,label') lines.shift();
  const rows = lines.map((line, index) => {
    const comma = line.lastIndexOf(',');
    if (comma <= 0) throw new Error(`${file}:${index + 1}: expected 'path,label', got '${line}'`);
    return { path: resolve(dirname(file), line.slice(0, comma).trim()), name: line.slice(comma + 1).trim() };
  });
  const classes = [...new Set(rows.map((r) => r.name))].sort();
  checkClassCount(file, classes.length, 'needs at least 2 classes');
  const files = rows.map((r) => ({ path: r.path, label: classes.indexOf(r.name) }));
  return decodedSet(files, classes, options);
}

async function fromIdx(dir: string, options: ReadLabeledImagesOptions): Promise<LabeledImageSet> {
  const train = await loadIdxImages({ split: 'train', dir });
  if (options.channels !== 1 || train.height !== options.size[0] || train.width !== options.size[1]) {
    throw new Error(
      `${dir}: IDX images are ${train.height}×${train.width}×1; the encoder takes ${options.size.join('×')}×${options.channels}`,
    );
  }
  let test: LabeledImages | undefined;
  try {
    test = await loadIdxImages({ split: 'test', dir });
  } catch {
    test = undefined; // no t10k files: no held-out split
  }
  const classes = Array.from({ length: Math.max(...train.labels) + 1 }, (_, i) => String(i));
  return { images: train, classes, skipped: [], ...(test === undefined ? {} : { test }) };
}

/**
 * Reads labeled images at one size and channel count (an encoder's input), for a linear probe, kNN
 * or fine-tuning: a folder with one sub-folder per class (the ImageFolder layout; labels are the
 * sorted folder names), a CSV of `path,label` lines (paths relative to the CSV; an optional
 * `path,label` header), or an IDX directory (its `t10k` files become `test`). Unreadable images are
 * left out and listed in `skipped`. Decodes with sharp, loaded when a folder or CSV is read.
 *
 * @example
 * const { images, classes, skipped } = await readLabeledImages('labeled/', { size: [32, 32], channels: 3 });
 * // images.images: [count, 32, 32, 3] bytes; images.labels[i] indexes classes
 * @throws naming the path: it is missing, in another layout, has fewer than 2 (or more than 256)
 *   classes or no readable image, a CSV line is malformed, or IDX images are not of `size`×1.
 */
export async function readLabeledImages(path: string, options: ReadLabeledImagesOptions): Promise<LabeledImageSet> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new Error(`${path}: does not exist`);
  }
  let set: LabeledImageSet;
  if (info.isDirectory())
    set = isIdxDirectory(path) ? await fromIdx(path, options) : await fromClassFolders(path, options);
  else if (extname(path).toLowerCase() === '.csv') set = await fromCsv(path, options);
  else throw new Error(`${path}: expected a folder (one sub-folder per class), a .csv file or an IDX directory`);
  if (set.images.count === 0) throw new Error(`${path}: no readable images`);
  return set;
}
