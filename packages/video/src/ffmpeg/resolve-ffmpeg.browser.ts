// Browser: there are no ffmpeg binaries to find — frames come from the page's own decoder.
import type { FfmpegTools, ResolveFfmpegOptions } from './resolve-ffmpeg.node.js';

export type { FfmpegSource, FfmpegTool, FfmpegTools, ResolveFfmpegOptions } from './resolve-ffmpeg.node.js';

/** @throws always: ffmpeg is a program a page cannot run. */
export function resolveFfmpeg(_options: ResolveFfmpegOptions = {}): Promise<FfmpegTools> {
  return Promise.reject(
    new Error(
      'resolveFfmpeg() finds the ffmpeg and ffprobe programs, so it is Node-only; in a browser extractFrames and ' +
        "probeVideo decode with the page's <video> element and need no tools",
    ),
  );
}
