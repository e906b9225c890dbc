import { imageSourceName, listImageFiles } from '@selfsup/augment/image-files';
import { readUnlabeledPath } from '#labeled-image-files';
import type { ReadLabeledImagesOptions } from './labeled-image-set.js';
import { decodeAll, isImageName } from './labeled-image-set.js';
import type { SkippedFile } from './too-few-examples-error.js';

/** Images without labels: pixels `[count, height, width, channels]`, 0–255. */
export interface UnlabeledImages {
  images: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: 1 | 3;
}

/** What {@link readUnlabeledImages} read, and the files it left out. */
export interface UnlabeledImageSet {
  images: UnlabeledImages;
  /** Unreadable images left out, and why. */
  skipped: SkippedFile[];
}

/** What size and channels `readUnlabeledImages` reads images at (those of `readLabeledImages`). */
export type ReadUnlabeledImagesOptions = ReadLabeledImagesOptions;

const byName = (a: File, b: File) => {
  const [x, y] = [imageSourceName(a), imageSourceName(b)];
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Reads every image of a folder at one size and channel count, without labels (to pretrain on, or
 * to look through): the unlabeled counterpart of `readLabeledImages`. In Node, a folder path; on
 * both platforms a `FileSystemDirectoryHandle` (each walked recursively, as `listImageFiles`
 * walks), or the `File`s of `<input type="file" webkitdirectory>` or a drop (those with an image
 * extension, sorted by `webkitRelativePath`, else by name). Unreadable images are left out and
 * listed in `skipped`, named by their path (relative to the handle, or `webkitRelativePath`).
 * Decodes with sharp in Node (loaded when images are read), with the browser's decoders in a page.
 *
 * @example
 * const { images, skipped } = await readUnlabeledImages('photos/', { size: [32, 32], channels: 3 });
 * // images.images: [count, 32, 32, 3] bytes
 * const picked = await readUnlabeledImages([...input.files], { size: [32, 32], channels: 3 }); // a page
 * @throws naming the source when it holds no readable image, or the path is missing; in a
 *   browser, for a path.
 */
export async function readUnlabeledImages(
  source: string | FileSystemDirectoryHandle | readonly File[],
  options: ReadUnlabeledImagesOptions,
): Promise<UnlabeledImageSet> {
  let files: Array<string | File>;
  let name: string;
  if (typeof source === 'string') {
    files = await readUnlabeledPath(source);
    name = source;
  } else if (Array.isArray(source)) {
    files = (source as readonly File[]).filter((file) => isImageName(file.name)).sort(byName);
    name = 'readUnlabeledImages(files)';
  } else {
    files = [];
    for await (const file of listImageFiles(source as FileSystemDirectoryHandle)) files.push(file);
    name = (source as FileSystemDirectoryHandle).name;
  }
  const { images, labels, skipped } = await decodeAll(
    files.map((file) => ({ source: file, name: imageSourceName(file), label: 0 })),
    options,
  );
  if (labels.length === 0) {
    const first = skipped[0];
    const why = first === undefined ? '' : ` (${skipped.length} unreadable, e.g. ${first.path}: ${first.reason})`;
    throw new Error(`${name}: no readable images${why}`);
  }
  const [height, width] = options.size;
  return { images: { images, count: labels.length, height, width, channels: options.channels }, skipped };
}
