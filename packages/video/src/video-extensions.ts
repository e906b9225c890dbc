/**
 * File extensions a folder loader treats as videos (lower case). With `listVideoFiles`, also
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
