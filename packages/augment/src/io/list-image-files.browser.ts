import { type ListImageFilesOptions, walkDirectoryHandle } from './directory-listing.js';

async function* folderPathError(dir: string): AsyncGenerator<string> {
  yield* [];
  throw new Error(
    `listImageFiles('${dir}') needs a file system, which is Node-only; in a browser pass a FileSystemDirectoryHandle (showDirectoryPicker(), navigator.storage.getDirectory()) to listImageFiles, or File objects to readImages(files)`,
  );
}

/**
 * The image `File`s under a `FileSystemDirectoryHandle` in a deterministic order: each folder's
 * matching files sorted by name, then its sub-folders in sorted order, depth first (as the Node
 * walk of a path). Each file is named by its path relative to the handle in errors and batches.
 *
 * @example
 * const dir = await showDirectoryPicker();
 * for await (const file of listImageFiles(dir)) console.log(file.name);
 * @throws (while iterating) for a path string — folders on disk are Node-only — or a folder that
 * cannot be read.
 */
export function listImageFiles(dir: string, options?: ListImageFilesOptions): AsyncGenerator<string>;
export function listImageFiles(dir: FileSystemDirectoryHandle, options?: ListImageFilesOptions): AsyncGenerator<File>;
export function listImageFiles(
  dir: string | FileSystemDirectoryHandle,
  options?: ListImageFilesOptions,
): AsyncGenerator<string | File>;
export function listImageFiles(
  dir: string | FileSystemDirectoryHandle,
  options: ListImageFilesOptions = {},
): AsyncGenerator<string | File> {
  return typeof dir === 'string' ? folderPathError(dir) : walkDirectoryHandle(dir, options);
}
