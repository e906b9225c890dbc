import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extname, join, resolve as resolvePath } from 'node:path';
import { VIDEO_EXTENSIONS } from './video-extensions.js';

export { VIDEO_EXTENSIONS };

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
