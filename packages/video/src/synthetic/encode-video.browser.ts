// Browser: no ffmpeg to encode with — these functions name the Node alternative.
import type { EncodeVideoOptions, LavfiSource, LavfiVideoOptions, RawVideo, VideoCodec } from './encode-video.node.js';

export type { EncodeVideoOptions, LavfiSource, LavfiVideoOptions, RawVideo, VideoCodec };

/** The codecs {@link encodeRawVideo} writes (in Node). */
export const VIDEO_CODECS: readonly VideoCodec[] = ['h264', 'vp9', 'vp8', 'ffv1'];

/** @throws always: encoding runs ffmpeg, which a page does not have. */
export async function encodeRawVideo(
  _video: RawVideo,
  path: string,
  _options: EncodeVideoOptions = {},
): Promise<string> {
  throw new Error(
    `encodeRawVideo(video, '${path}') runs ffmpeg and writes a file, so it is Node-only; in a browser encode with ` +
      'WebCodecs (VideoEncoder) or MediaRecorder, or write the video in Node',
  );
}

/** @throws always: ffmpeg's synthetic sources need ffmpeg, which a page does not have. */
export async function writeLavfiVideo(
  source: LavfiSource,
  path: string,
  _options: LavfiVideoOptions = {},
): Promise<string> {
  throw new Error(
    `writeLavfiVideo('${source}', '${path}') runs ffmpeg and writes a file, so it is Node-only; in a browser ` +
      'write the video in Node and pass it to extractFrames as a File, Blob or URL',
  );
}
