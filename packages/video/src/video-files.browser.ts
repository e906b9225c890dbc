// Browser: a page cannot list folders — pass the File objects of a folder picker to loadVideos(files).
import { VIDEO_EXTENSIONS } from './video-extensions.js';

export { VIDEO_EXTENSIONS };

/** @throws always: a page has no folders to list. */
export async function listVideoFiles(
  dir: string,
  _options: { recursive?: boolean; extensions?: readonly string[] } = {},
): Promise<string[]> {
  throw new Error(
    `listVideoFiles('${dir}') (and loadVideoFolder, videoFolderDataset) read a folder, so they are Node-only; in a ` +
      'browser pass the File objects of <input type="file" multiple> to loadVideos(files)',
  );
}
