import type { DecodedImage, ImageSource } from '@selfsup/augment';
import { IMAGE_EXTENSIONS, listImageFiles } from '@selfsup/augment/image-files';
import { type LabeledImages, loadIdxImages } from './fashion-mnist.js';
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

/** What size and channels `readLabeledImages` reads images at (e.g. an encoder's input). */
export interface ReadLabeledImagesOptions {
  /** `[height, width]`: images are resized and center-cropped to it. */
  size: [number, number];
  channels: 1 | 3;
}

/** One image to read: where from, how errors name it, and its label. */
export interface LabeledSource {
  source: ImageSource;
  name: string;
  label: number;
}

/** Images decoded at once. */
const CONCURRENCY = 8;

/** Decodes every file at one size (8 at a time, in order), leaving out the unreadable ones. */
export async function decodeAll(
  files: readonly LabeledSource[],
  options: ReadLabeledImagesOptions,
): Promise<{ images: Uint8Array; labels: Uint8Array; skipped: SkippedFile[] }> {
  // sharp loads here (Node), when images are read, not when @selfsup/data is imported.
  const { decodeImage, ImageReadError } = await import('@selfsup/augment');
  const decoded = new Array<DecodedImage | Error>(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i] as LabeledSource;
      decoded[i] = await decodeImage(file.source, options, 'readLabeledImages').catch((error: Error) => error);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  const pixels = options.size[0] * options.size[1] * options.channels;
  const kept = decoded.flatMap((image, i) => (image instanceof Error ? [] : [{ image, label: files[i]?.label ?? 0 }]));
  const skipped = decoded.flatMap((image, i) =>
    image instanceof Error
      ? [{ path: files[i]?.name ?? '', reason: image instanceof ImageReadError ? image.reason : image.message }]
      : [],
  );
  const images = new Uint8Array(kept.length * pixels);
  kept.forEach(({ image }, i) => {
    images.set(image.data, i * pixels);
  });
  return { images, labels: Uint8Array.from(kept.map((k) => k.label)), skipped };
}

/** Decodes labeled files into a {@link LabeledImageSet}. */
export async function decodedSet(
  files: readonly LabeledSource[],
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

/** Between 2 and 256 classes. */
export function checkClassCount(source: string, count: number, expected: string): void {
  if (count < 2) throw new Error(`${source}: ${expected}; found ${count}`);
  if (count > 256) throw new Error(`${source}: ${count} classes; at most 256 are supported`);
}

/** An IDX directory (a path, or a URL): its train files, and `t10k` files as `test` when present. */
export async function fromIdx(dir: string | URL, options: ReadLabeledImagesOptions): Promise<LabeledImageSet> {
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

/** Whether a file name has an image extension ({@link IMAGE_EXTENSIONS}, as a folder walk keeps). */
export const isImageName = (name: string) =>
  (IMAGE_EXTENSIONS as readonly string[]).includes(name.slice(Math.max(0, name.lastIndexOf('.'))).toLowerCase());

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * A `FileSystemDirectoryHandle` in the ImageFolder layout: one sub-folder per class (labels are
 * the sorted folder names), each listed recursively.
 */
export async function fromDirectoryHandle(
  dir: FileSystemDirectoryHandle,
  options: ReadLabeledImagesOptions,
): Promise<LabeledImageSet> {
  const folders: FileSystemDirectoryHandle[] = [];
  for await (const entry of (dir as unknown as { values(): AsyncIterable<FileSystemHandle> }).values()) {
    if (entry.kind === 'directory') folders.push(entry as FileSystemDirectoryHandle);
  }
  folders.sort(byName);
  checkClassCount(dir.name, folders.length, 'expected one sub-folder per class (at least 2)');
  const files: LabeledSource[] = [];
  for (const [label, folder] of folders.entries()) {
    for await (const file of listImageFiles(folder))
      files.push({ source: file, name: `${folder.name}/${file.name}`, label });
  }
  return decodedSet(
    files,
    folders.map((f) => f.name),
    options,
  );
}

/**
 * Files picked with `<input type="file" webkitdirectory>` (or dropped), in the ImageFolder layout:
 * the class of each is the sub-folder under the picked folder in its `webkitRelativePath`
 * (`picked/cat/a.jpg` → `cat`); files directly in the picked folder, or without a relative path,
 * are not labeled and left out, and so are files without an image extension ({@link IMAGE_EXTENSIONS},
 * as a folder walk). Sorted by relative path.
 */
export async function fromFileList(
  files: readonly File[],
  options: ReadLabeledImagesOptions,
): Promise<LabeledImageSet> {
  const labeled = files
    .map((file) => ({ file, parts: file.webkitRelativePath.split('/') }))
    .filter(({ file, parts }) => parts.length >= 3 && isImageName(file.name))
    .sort((a, b) => (a.file.webkitRelativePath < b.file.webkitRelativePath ? -1 : 1));
  const classes = [...new Set(labeled.map(({ parts }) => parts[1] as string))].sort();
  checkClassCount(
    'readLabeledImages(files)',
    classes.length,
    'expected files under one sub-folder per class (their webkitRelativePath, e.g. picked/cat/a.jpg; at least 2 classes)',
  );
  const sources = labeled.map(({ file, parts }) => ({
    source: file,
    name: file.webkitRelativePath,
    label: classes.indexOf(parts[1] as string),
  }));
  return decodedSet(sources, classes, options);
}
