import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { isIdxDirectory } from '@selfsup/data/idx-directory';
import { CORPUS_EXTENSIONS } from '@selfsup/text/corpus';
import { countOf, type DataFileKind, listDataFiles } from '../data/data-files.js';

/** A data kind a folder can hold, by the reader that takes it. */
export type FolderDataKind = 'image-folder' | 'video-folder' | 'text-corpus';

/** How `data.kind` was decided when a config leaves it out (recorded in the run's summary). */
export interface DataKindChoice {
  kind: 'image-folder' | 'video-folder' | 'text-corpus' | 'idx';
  /** `files`: what most files under the folder are; `path`: the path itself (a text file, an IDX directory, `embedded`). */
  decidedBy: 'files' | 'path';
  /** Files under the folder by the reader that takes them (hidden ones aside): with `decidedBy: files`. */
  counts?: Record<DataFileKind | 'other', number>;
  /** One line: the kind, and why. */
  reason: string;
}

const FOLDER_KINDS: Record<DataFileKind, FolderDataKind> = {
  image: 'image-folder',
  video: 'video-folder',
  text: 'text-corpus',
};

/**
 * Decides the data kind of `path` when a config leaves `data.kind` out: an IDX directory is
 * `idx`; a file is `text-corpus` when it ends like a corpus file, else `image-folder` (whose
 * reader then says it is not a folder); a folder is the kind of most of its files — images, videos
 * or text files, counted by the readers' own endings (case-insensitively, hidden files aside) —
 * ties going to images, then videos; a folder with none of them is `image-folder`. Files of the
 * other kinds are then left out by the reader (and listed when the run starts).
 *
 * @param recursive count the files of sub-folders too (`data.recursive`, default true).
 * @example
 * await chooseDataKind('photos'); // { kind: 'image-folder', decidedBy: 'files', counts: { image: 6, text: 1, … }, reason: … }
 * @throws if the folder cannot be read.
 */
export async function chooseDataKind(path: string, options: { recursive?: boolean } = {}): Promise<DataKindChoice> {
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    folder = false;
  }
  if (!folder) {
    const text = CORPUS_EXTENSIONS.includes(extname(path).toLowerCase());
    return {
      kind: text ? 'text-corpus' : 'image-folder',
      decidedBy: 'path',
      reason: text ? `${path} is a text file` : `${path} is not a folder of data files`,
    };
  }
  if (isIdxDirectory(path)) return { kind: 'idx', decidedBy: 'path', reason: `${path} holds IDX files` };
  const files = await listDataFiles(path, { recursive: options.recursive ?? true });
  const counts = {
    image: files.image.length,
    video: files.video.length,
    text: files.text.length,
    other: files.other.length,
  };
  const found = (['image', 'video', 'text'] as const).filter((kind) => counts[kind] > 0);
  const counted = [...found, ...(counts.other > 0 ? (['other'] as const) : [])]
    .map((kind) => countOf(counts[kind], kind))
    .join(', ');
  if (found.length === 0) {
    return {
      kind: 'image-folder',
      decidedBy: 'files',
      counts,
      reason: `${path} holds no image, video or text files${counts.other > 0 ? ` (${counted})` : ''}`,
    };
  }
  // Sorted by count; a stable sort keeps image, video, text order among equal counts.
  const [most] = [...found].sort((a, b) => counts[b] - counts[a]) as [DataFileKind];
  const plural = (kind: DataFileKind) => (kind === 'text' ? 'text files' : `${kind}s`);
  const tied = found.filter((kind) => counts[kind] === counts[most]);
  const why =
    found.length === 1
      ? `the data files under ${path} are ${plural(most)}`
      : tied.length > 1
        ? `${tied.map(plural).join(' and ')} are as many under ${path}, and ${plural(most)} come first`
        : `most data files under ${path} are ${plural(most)}`;
  return { kind: FOLDER_KINDS[most], decidedBy: 'files', counts, reason: `${why} (${counted})` };
}
