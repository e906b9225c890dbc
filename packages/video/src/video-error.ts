/**
 * Why a video could not be read:
 * - `not-found`: no file at the path; `not-a-file`: a directory;
 * - `empty`: a zero-length file;
 * - `unreadable`: not a format ffmpeg can read (a text file, a random binary, a broken header);
 * - `no-video-stream`: audio only (cover art does not count); `still-image`: a single picture;
 * - `truncated`: the file ends early (missing index, frames cut off);
 * - `corrupt`: ffmpeg reports errors while decoding;
 * - `out-of-range`: a time or frame outside the video;
 * - `timeout`: ffmpeg or ffprobe did not finish in time and was killed; `aborted`: the caller's signal;
 * - `ffmpeg-failed`: any other failure of the ffmpeg process.
 */
export type VideoErrorReason =
  | 'not-found'
  | 'not-a-file'
  | 'empty'
  | 'unreadable'
  | 'no-video-stream'
  | 'still-image'
  | 'truncated'
  | 'corrupt'
  | 'out-of-range'
  | 'timeout'
  | 'aborted'
  | 'ffmpeg-failed';

/**
 * An error about one video file: the message starts with the file's path and says what is wrong;
 * `reason` classifies it (folder loaders report it per skipped file) and `ffmpegMessage` keeps
 * what ffmpeg/ffprobe printed, when they printed something.
 */
export class VideoError extends Error {
  override readonly name = 'VideoError';

  constructor(
    readonly file: string,
    readonly reason: VideoErrorReason,
    description: string,
    readonly ffmpegMessage?: string,
  ) {
    super(`${file}: ${description}${ffmpegMessage ? ` (ffmpeg: ${ffmpegMessage})` : ''}`);
  }
}
