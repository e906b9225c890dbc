import type { Dirent } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** File extensions the folder loaders read by default (compared case-insensitively). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif'] as const;

/** Options of {@link listImageFiles}. */
export interface ListImageFilesOptions {
  /** Walk sub-folders (default true). */
  recursive?: boolean;
  /** Extensions to keep, with the dot (default {@link IMAGE_EXTENSIONS}). */
  extensions?: readonly string[];
}

async function isFile(dir: string, entry: Dirent): Promise<boolean> {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return (await stat(join(dir, entry.name))).isFile();
  } catch {
    return false; // a dangling link
  }
}

/**
 * The image files under `dir` in a deterministic order: each folder's matching files sorted by
 * name (UTF-16 code units), then its sub-folders in sorted order, depth first. Folders are walked
 * lazily, one at a time, so a folder of 100 000 images is never listed recursively up front; one
 * folder's names are held to sort them. Symbolic links to files are followed, links to folders
 * are not (no cycles).
 *
 * @example for await (const path of listImageFiles('photos/')) console.log(path);
 * @throws if `dir` (or a sub-folder) cannot be read, naming it and the error code.
 */
export async function* listImageFiles(dir: string, options: ListImageFilesOptions = {}): AsyncGenerator<string> {
  const extensions = new Set((options.extensions ?? IMAGE_EXTENSIONS).map((e) => e.toLowerCase()));
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
    else if (extensions.has(extname(entry.name).toLowerCase()) && (await isFile(dir, entry))) files.push(entry.name);
  }
  for (const name of files.sort()) yield join(dir, name);
  if (options.recursive ?? true) {
    for (const name of folders.sort()) yield* listImageFiles(join(dir, name), options);
  }
}
