import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { imageFolderBatches, listImageFiles } from '@selfsup/augment';
import { type Tensor4D, tf } from '@selfsup/backend';
import { type LabeledImages, loadIdxImages } from '@selfsup/data';
import { CliError } from '../cli-error.js';
import { isIdxDirectory } from '../config/data-kind.js';
import type { SkippedFile } from '../run/training-data.js';

/** Labeled images for an evaluation, with the class names by label. */
export interface LabeledSet {
  images: LabeledImages;
  classes: string[];
  skipped: SkippedFile[];
  /** The held-out split, when the source has one (IDX `t10k` files). */
  test?: LabeledImages;
}

/** What size and channels the images are read at (the encoder's input). */
export interface ReadLabeledOptions {
  size: [number, number];
  channels: 1 | 3;
}

async function decodeAll(
  files: Array<{ path: string; label: number }>,
  options: ReadLabeledOptions,
): Promise<{ images: Uint8Array; labels: Uint8Array; skipped: SkippedFile[] }> {
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

function labeled(images: Uint8Array, labels: Uint8Array, options: ReadLabeledOptions): LabeledImages {
  return {
    images,
    labels,
    count: labels.length,
    height: options.size[0],
    width: options.size[1],
    channels: options.channels,
  };
}

async function fromClassFolders(dir: string, options: ReadLabeledOptions): Promise<LabeledSet> {
  const entries = await readdir(dir, { withFileTypes: true });
  const classes = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  if (classes.length < 2) {
    throw new CliError(
      'data',
      `labels ${dir}: expected one sub-folder per class (at least 2); found ${classes.length}`,
    );
  }
  if (classes.length > 256)
    throw new CliError('data', `labels ${dir}: ${classes.length} classes; at most 256 are supported`);
  const files: Array<{ path: string; label: number }> = [];
  for (const [label, name] of classes.entries()) {
    for await (const path of listImageFiles(join(dir, name))) files.push({ path, label });
  }
  const { images, labels, skipped } = await decodeAll(files, options);
  return { images: labeled(images, labels, options), classes, skipped };
}

async function fromCsv(file: string, options: ReadLabeledOptions): Promise<LabeledSet> {
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines[0]?.toLowerCase().replace(/\s/g, '') === 'path,label') lines.shift();
  const rows = lines.map((line, index) => {
    const comma = line.lastIndexOf(',');
    if (comma <= 0) throw new CliError('data', `labels ${file}:${index + 1}: expected 'path,label', got '${line}'`);
    return { path: resolve(dirname(file), line.slice(0, comma).trim()), name: line.slice(comma + 1).trim() };
  });
  const classes = [...new Set(rows.map((r) => r.name))].sort();
  if (classes.length < 2)
    throw new CliError('data', `labels ${file}: needs at least 2 classes; found ${classes.length}`);
  if (classes.length > 256)
    throw new CliError('data', `labels ${file}: ${classes.length} classes; at most 256 are supported`);
  const { images, labels, skipped } = await decodeAll(
    rows.map((r) => ({ path: r.path, label: classes.indexOf(r.name) })),
    options,
  );
  return { images: labeled(images, labels, options), classes, skipped };
}

async function fromIdx(dir: string, options: ReadLabeledOptions): Promise<LabeledSet> {
  const train = await loadIdxImages({ split: 'train', dir });
  if (options.channels !== 1 || train.height !== options.size[0] || train.width !== options.size[1]) {
    throw new CliError(
      'data',
      `labels ${dir}: IDX images are ${train.height}×${train.width}×1; the encoder takes ${options.size.join('×')}×${options.channels}`,
    );
  }
  let test: LabeledImages | undefined;
  try {
    test = await loadIdxImages({ split: 'test', dir });
  } catch {
    test = undefined;
  }
  const classes = Array.from({ length: Math.max(...train.labels) + 1 }, (_, i) => String(i));
  return { images: train, classes, skipped: [], ...(test === undefined ? {} : { test }) };
}

/**
 * Reads labeled images at the encoder's input size: a folder with one sub-folder per class
 * (ImageFolder layout; labels are the sorted folder names), a CSV of `path,label` lines (paths
 * relative to the CSV), or an IDX directory. Unreadable images are skipped and returned.
 *
 * @throws CliError('data') naming the source and what is wrong with it.
 */
export async function readLabeledImages(path: string, options: ReadLabeledOptions): Promise<LabeledSet> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new CliError('data', `labels ${path}: does not exist`);
  }
  let set: LabeledSet;
  if (info.isDirectory())
    set = isIdxDirectory(path) ? await fromIdx(path, options) : await fromClassFolders(path, options);
  else if (extname(path).toLowerCase() === '.csv') set = await fromCsv(path, options);
  else
    throw new CliError(
      'data',
      `labels ${path}: expected a folder (one sub-folder per class), a .csv file or an IDX directory`,
    );
  if (set.images.count === 0) throw new CliError('data', `labels ${path}: no readable images`);
  return set;
}
