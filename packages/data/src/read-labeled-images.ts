import { readLabeledPath } from '#labeled-image-files';
import {
  fromDirectoryHandle,
  fromFileList,
  type LabeledImageSet,
  type ReadLabeledImagesOptions,
} from './labeled-image-set.js';

export type { LabeledImageSet, ReadLabeledImagesOptions };

/**
 * Reads labeled images at one size and channel count (an encoder's input), for a linear probe, kNN
 * or fine-tuning. In Node, a path: a folder with one sub-folder per class (the ImageFolder layout;
 * labels are the sorted folder names), a CSV of `path,label` lines (paths relative to the CSV; an
 * optional `path,label` header), or an IDX directory (its `t10k` files become `test`). On both
 * platforms, the same folder layout as a `FileSystemDirectoryHandle`, or as the `File`s of
 * `<input type="file" webkitdirectory>` (the class is the sub-folder in `webkitRelativePath`).
 * Unreadable images are left out and listed in `skipped`. Decodes with sharp in Node (loaded when
 * images are read), with the browser's decoders in a page.
 *
 * @example
 * const { images, classes, skipped } = await readLabeledImages('labeled/', { size: [32, 32], channels: 3 });
 * // images.images: [count, 32, 32, 3] bytes; images.labels[i] indexes classes
 * const picked = await readLabeledImages(await showDirectoryPicker(), { size: [32, 32], channels: 3 }); // a page
 * @throws naming the path: it is missing, in another layout, has fewer than 2 (or more than 256)
 *   classes or no readable image, a CSV line is malformed, or IDX images are not of `size`×1; in a
 *   browser, for a path.
 */
export async function readLabeledImages(
  source: string | FileSystemDirectoryHandle | readonly File[],
  options: ReadLabeledImagesOptions,
): Promise<LabeledImageSet> {
  const set =
    typeof source === 'string'
      ? await readLabeledPath(source, options)
      : Array.isArray(source)
        ? await fromFileList(source, options)
        : await fromDirectoryHandle(source as FileSystemDirectoryHandle, options);
  if (set.images.count === 0) {
    const name =
      typeof source === 'string'
        ? source
        : Array.isArray(source)
          ? 'readLabeledImages(files)'
          : (source as FileSystemDirectoryHandle).name;
    throw new Error(`${name}: no readable images`);
  }
  return set;
}
