// Type-only: each platform pair of this package exports the same names with the same types
// (decision 0004). `typecheck` fails when a pair drifts; the build leaves this file out.
import type { SameExports } from '@selfsup/backend';
import type * as ResolveFfmpegBrowser from './ffmpeg/resolve-ffmpeg.browser.js';
import type * as ResolveFfmpegNode from './ffmpeg/resolve-ffmpeg.node.js';
import type * as FrameDecoderBrowser from './frame-decoder.browser.js';
import type * as FrameDecoderNode from './frame-decoder.node.js';
import type * as ProbeVideoBrowser from './probe-video.browser.js';
import type * as ProbeVideoNode from './probe-video.node.js';
import type * as BouncingItemVideoBrowser from './synthetic/bouncing-item-video.browser.js';
import type * as BouncingItemVideoNode from './synthetic/bouncing-item-video.node.js';
import type * as CachedBouncingItemVideosBrowser from './synthetic/cached-bouncing-item-videos.browser.js';
import type * as CachedBouncingItemVideosNode from './synthetic/cached-bouncing-item-videos.node.js';
import type * as EncodeVideoBrowser from './synthetic/encode-video.browser.js';
import type * as EncodeVideoNode from './synthetic/encode-video.node.js';
import type * as VideoFilesBrowser from './video-files.browser.js';
import type * as VideoFilesNode from './video-files.node.js';

export const bouncingItemVideoParity: SameExports<typeof BouncingItemVideoNode, typeof BouncingItemVideoBrowser> = true;
export const cachedBouncingItemVideosParity: SameExports<
  typeof CachedBouncingItemVideosNode,
  typeof CachedBouncingItemVideosBrowser
> = true;
export const encodeVideoParity: SameExports<typeof EncodeVideoNode, typeof EncodeVideoBrowser> = true;
export const frameDecoderParity: SameExports<typeof FrameDecoderNode, typeof FrameDecoderBrowser> = true;
export const probeVideoParity: SameExports<typeof ProbeVideoNode, typeof ProbeVideoBrowser> = true;
export const resolveFfmpegParity: SameExports<typeof ResolveFfmpegNode, typeof ResolveFfmpegBrowser> = true;
export const videoFilesParity: SameExports<typeof VideoFilesNode, typeof VideoFilesBrowser> = true;
