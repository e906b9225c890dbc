// Browser: a video's metadata comes from the page's <video> element and the timestamps of its frames.
import type { ProbeVideoOptions, VideoMetadata } from './probe-video.node.js';
import { openVideo, probeOpened } from './video-element.browser.js';

export type { ProbeVideoOptions, VideoMetadata };

/**
 * Reads a video's metadata in a browser: size and duration from a `<video>` element, the frame
 * rate and count from the timestamps of its frames (a few seeks). `source` is a URL or a
 * `Blob`/`File`; `tools` and `resolve` are ignored. Codec and pixel format are `unknown` (a page
 * does not see them).
 *
 * @example
 * const meta = await probeVideo(input.files[0]); // { frameCount: 24, frameRate: 12, width: 64, … }
 * @throws a {@link VideoError} naming the file: `empty`, `unreadable`, `no-video-stream`,
 *   `still-image`, `corrupt`, `timeout`, `aborted`.
 */
export async function probeVideo(source: string | Blob, options: ProbeVideoOptions = {}): Promise<VideoMetadata> {
  const opened = await openVideo(source, options);
  try {
    return await probeOpened(opened, source, options);
  } finally {
    opened.close();
  }
}
