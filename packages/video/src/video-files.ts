import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extname, join, resolve as resolvePath } from 'node:path';

/**
 * File extensions a folder loader treats as videos (lower case). With {@link listVideoFiles}, also
 * from the `@selfsup/video/video-files` entry, which loads neither ffmpeg nor tfjs.
 */
export const VIDEO_EXTENSIONS: readonly string[] = [
  '.mp4',
  '.m4v',
  '.mov',
  '.webm',
  '.mkv',
  '.avi',
  '.mpg',
  '.mpeg',
  '.ts',
  '.ogv',
  '.flv',
  '.wmv',
  '.3gp',
  '.gif',
];

/**
 * Lists the video files under a folder (by extension, recursively by default), sorted.
 * @throws if the folder does not exist or is not a folder.
 */
export async function listVideoFiles(
  dir: string,
  options: { recursive?: boolean; extensions?: readonly string[] } = {},
): Promise<string[]> {
  const root = resolvePath(dir);
  const extensions = new Set((options.extensions ?? VIDEO_EXTENSIONS).map((e) => e.toLowerCase()));
  const recursive = options.recursive ?? true;
  const files: string[] = [];
  const walk = async (folder: string) => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new Error(
        `${folder}: ${code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : (error as Error).message}`,
      );
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (recursive) await walk(path);
      } else if (extensions.has(extname(entry.name).toLowerCase())) {
        files.push(path);
      }
    }
  };
  await walk(root);
  return files.sort();
}
