// Browser: writing video files needs ffmpeg and a file system — renderBouncingItem (shared) gives the frames.
import type { BouncingItemVideoFile, BouncingItemVideosOptions, ItemSet } from './bouncing-item-video.node.js';

export type { BouncingItemVideoFile, BouncingItemVideosOptions, ItemSet };

/** @throws always: it encodes with ffmpeg into a folder, which a page has neither of. */
export async function writeBouncingItemVideos(
  _set: ItemSet,
  dir: string,
  _options: BouncingItemVideosOptions,
): Promise<BouncingItemVideoFile[]> {
  throw new Error(
    `writeBouncingItemVideos(set, '${dir}') encodes with ffmpeg into a folder, so it is Node-only; in a browser ` +
      'renderBouncingItem(item) gives the frames as bytes',
  );
}
