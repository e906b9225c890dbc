import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { IMAGE_EXTENSIONS } from '@selfsup/augment/image-files';
import { CORPUS_EXTENSIONS } from '@selfsup/text/corpus';
import { VIDEO_EXTENSIONS } from '@selfsup/video/video-files';

/** What a data file is, by the reader that takes it: the image, video or text-corpus reader. */
export type DataFileKind = 'image' | 'video' | 'text';

/** The files under a data folder by the reader that takes them; `other`: none does. Paths sorted. */
export type DataFiles = Record<DataFileKind | 'other', string[]>;

/**
 * The endings a reader takes, lower case, from the readers themselves (`@selfsup/augment`'s image
 * folders, `@selfsup/video`'s video folders, `@selfsup/text`'s corpora) — through their entries
 * that load neither tfjs, sharp nor ffmpeg.
 */
export function endingsOf(kind: DataFileKind): ReadonlySet<string> {
  const endings = { image: IMAGE_EXTENSIONS, video: VIDEO_EXTENSIONS, text: CORPUS_EXTENSIONS }[kind];
  return new Set(endings.map((ending) => ending.toLowerCase()));
}

async function walk(dir: string, recursive: boolean, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    // Hidden files and folders (.DS_Store, .git) are nobody's data.
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) await walk(path, true, found);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      found.push(path);
    }
  }
}

/**
 * Sorts the files under `dir` (every depth with `recursive`, hidden ones aside) by the reader that
 * takes them, by their ending compared case-insensitively — the same lists the readers use, so a
 * file counted as an image is one the image reader reads. A `.gif` counts as an image (video
 * folders read it too).
 *
 * @example
 * const files = await listDataFiles('photos', { recursive: true });
 * files.image.length; // 6
 * files.text;         // ['photos/notes.txt']
 * @throws if `dir` (or a sub-folder) cannot be read.
 */
export async function listDataFiles(dir: string, options: { recursive: boolean }): Promise<DataFiles> {
  const found: string[] = [];
  await walk(dir, options.recursive, found);
  const files: DataFiles = { image: [], video: [], text: [], other: [] };
  // Images first: a `.gif` is read by both the image and the video readers.
  const kinds = (['image', 'text', 'video'] as const).map((kind) => [kind, endingsOf(kind)] as const);
  for (const path of found) {
    const ending = extname(path).toLowerCase();
    files[kinds.find(([, endings]) => endings.has(ending))?.[0] ?? 'other'].push(path);
  }
  return files;
}

const NOUNS: Record<DataFileKind, [string, string]> = {
  image: ['image', 'images'],
  video: ['video', 'videos'],
  text: ['text file', 'text files'],
};

/** `1 image`, `6 images`, `2 text files`. */
export function countOf(count: number, kind: DataFileKind | 'other'): string {
  const [one, many] = kind === 'other' ? ['other file', 'other files'] : NOUNS[kind];
  return `${count} ${count === 1 ? one : many}`;
}

/**
 * One line naming the files a `kind` reader leaves out of `dir`: the count and the first five
 * (relative to `dir`); undefined when there are none.
 *
 * @example
 * ignoredFilesLine('photos', ['photos/notes.txt'], 'image');
 * // 'ignored 1 file under photos that is not an image: notes.txt'
 */
export function ignoredFilesLine(dir: string, ignored: readonly string[], kind: DataFileKind): string | undefined {
  if (ignored.length === 0) return undefined;
  const names = ignored.slice(0, 5).map((path) => relative(dir, path));
  const more = ignored.length > 5 ? `, … (${ignored.length - 5} more)` : '';
  const what = kind === 'text' ? 'text' : `${kind === 'image' ? 'an' : 'a'} ${kind}`;
  return `ignored ${ignored.length} file${ignored.length === 1 ? '' : 's'} under ${dir} that ${ignored.length === 1 ? 'is' : 'are'} not ${what}: ${names.join(', ')}${more}`;
}

/**
 * The files under the folder `path` that a `kind` reader leaves out (none when `path` is a file),
 * logged in one line ({@link ignoredFilesLine}).
 *
 * @example
 * const ignored = await reportIgnoredFiles('photos', 'image', { recursive: true, log: console.error });
 */
export async function reportIgnoredFiles(
  path: string,
  kind: DataFileKind,
  options: { recursive: boolean; log: (line: string) => void },
): Promise<string[]> {
  try {
    if (!(await stat(path)).isDirectory()) return [];
  } catch {
    return []; // the reader says what is wrong with the path
  }
  const found: string[] = [];
  await walk(path, options.recursive, found);
  const endings = endingsOf(kind);
  const ignored = found.filter((file) => !endings.has(extname(file).toLowerCase()));
  const line = ignoredFilesLine(path, ignored, kind);
  if (line !== undefined) options.log(line);
  return ignored;
}
