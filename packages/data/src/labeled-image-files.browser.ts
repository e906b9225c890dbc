import type { LabeledImageSet, ReadLabeledImagesOptions } from './labeled-image-set.js';

/** A path has no browser meaning: the error names the browser alternatives. */
export async function readLabeledPath(path: string, _options: ReadLabeledImagesOptions): Promise<LabeledImageSet> {
  throw new Error(
    `readLabeledImages('${path}'): reading a path is Node-only; in a browser pass a FileSystemDirectoryHandle (showDirectoryPicker()) or the File list of <input type="file" webkitdirectory>, one sub-folder per class`,
  );
}

/** A path has no browser meaning: the error names the browser alternatives. */
export async function readUnlabeledPath(path: string): Promise<string[]> {
  throw new Error(
    `readUnlabeledImages('${path}'): reading a path is Node-only; in a browser pass a FileSystemDirectoryHandle (showDirectoryPicker()) or the File list of <input type="file" webkitdirectory>`,
  );
}
