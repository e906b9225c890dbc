// Browser: the cache is a folder of ffmpeg-encoded files — Node only.
import type {
  BouncingItemSplit,
  CachedBouncingItemVideos,
  CachedBouncingItemVideosOptions,
} from './cached-bouncing-item-videos.node.js';

export type { BouncingItemSplit, CachedBouncingItemVideos, CachedBouncingItemVideosOptions };

/** @throws always: it writes ffmpeg-encoded files under a folder, which a page has neither of. */
export async function cachedBouncingItemVideos(
  root: string,
  _options: CachedBouncingItemVideosOptions,
): Promise<CachedBouncingItemVideos> {
  throw new Error(
    `cachedBouncingItemVideos('${root}') writes ffmpeg-encoded videos under a folder, so it is Node-only; in a ` +
      'browser renderBouncingItem(item) gives the frames as bytes, or load videos written in Node with loadVideos(files)',
  );
}
