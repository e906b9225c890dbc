import type { Dirent } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { extensionOf, extensionSet, type ListImageFilesOptions, walkDirectoryHandle } from './directory-listing.js';

async function isFile(dir: string, entry: Dirent): Promise<boolean> {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return (await stat(join(dir, entry.name))).isFile();
  } catch {
    return false; // a dangling link
  }
}

async function* listFolder(dir: string, options: ListImageFilesOptions): AsyncGenerator<string> {
  const extensions = extensionSet(options);
  let entries: Dirent[];
  try {
    entries = [];
    for await (const entry of await opendir(dir)) entries.push(entry);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`listImageFiles: cannot read folder ${dir} (${code})`, { cause: error });
  }
  const files: string[] = [];
  const folders: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) folders.push(entry.name);
    else if (extensions.has(extensionOf(entry.name)) && (await isFile(dir, entry))) files.push(entry.name);
  }
  for (const name of files.sort()) yield join(dir, name);
  if (options.recursive ?? true) {
    for (const name of folders.sort()) yield* listFolder(join(dir, name), options);
  }
}

/**
 * The image files under a folder in a deterministic order: each folder's matching files sorted by
 * name (UTF-16 code units), then its sub-folders in sorted order, depth first. A path gives paths;
 * a `FileSystemDirectoryHandle` (the browser's folder) gives `File`s. Folders are walked lazily,
 * one at a time, so a folder of 100 000 images is never listed recursively up front; one folder's
 * names are held to sort them. Symbolic links to files are followed, links to folders are not.
 *
 * @example for await (const path of listImageFiles('photos/')) console.log(path);
 * @throws (while iterating) if `dir` (or a sub-folder) cannot be read, naming it and the error code.
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
  return typeof dir === 'string' ? listFolder(dir, options) : walkDirectoryHandle(dir, options);
}
