import { setRelativePath } from './image-source.js';

/** File extensions the folder loaders read by default (compared case-insensitively). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif'] as const;

/** Options of {@link listImageFiles}. */
export interface ListImageFilesOptions {
  /** Walk sub-folders (default true). */
  recursive?: boolean;
  /** Extensions to keep, with the dot (default {@link IMAGE_EXTENSIONS}). */
  extensions?: readonly string[];
}

/** The lower-cased extensions to keep. */
export function extensionSet(options: ListImageFilesOptions): Set<string> {
  return new Set((options.extensions ?? IMAGE_EXTENSIONS).map((e) => e.toLowerCase()));
}

/** `.png` for `a.PNG`, `''` without a dot (as Node's `extname`: a leading dot is no extension). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

/** A directory handle's entries (`values()` is in the DOM's async-iterable typings, not loaded here). */
function entriesOf(dir: FileSystemDirectoryHandle): AsyncIterable<FileSystemHandle> {
  return (dir as unknown as { values(): AsyncIterable<FileSystemHandle> }).values();
}

/**
 * Walks a `FileSystemDirectoryHandle` (from `showDirectoryPicker()`, a dropped folder or the origin
 * private file system) in the order of the folder walk on disk: each folder's matching files sorted
 * by name, then its sub-folders in sorted order, depth first. Each `File` remembers its path
 * relative to `dir` (`cats/a.jpg`), which names it in errors and batches.
 */
export async function* walkDirectoryHandle(
  dir: FileSystemDirectoryHandle,
  options: ListImageFilesOptions,
  prefix = '',
): AsyncGenerator<File> {
  const extensions = extensionSet(options);
  const files: FileSystemFileHandle[] = [];
  const folders: FileSystemDirectoryHandle[] = [];
  try {
    for await (const entry of entriesOf(dir)) {
      if (entry.kind === 'directory') folders.push(entry as FileSystemDirectoryHandle);
      else if (extensions.has(extensionOf(entry.name))) files.push(entry as FileSystemFileHandle);
    }
  } catch (error) {
    throw new Error(`listImageFiles: cannot read folder ${prefix || dir.name} (${(error as Error).message})`, {
      cause: error,
    });
  }
  const byName = (a: FileSystemHandle, b: FileSystemHandle) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const handle of files.sort(byName)) {
    const file = await handle.getFile();
    setRelativePath(file, `${prefix}${handle.name}`);
    yield file;
  }
  if (options.recursive ?? true) {
    for (const folder of folders.sort(byName)) yield* walkDirectoryHandle(folder, options, `${prefix}${folder.name}/`);
  }
}
