import { createFrameStackEncoder, type Encoder } from '@selfsup/models';

/**
 * The encoder a video run exports for whole clips: its per-frame encoder (shared weights) on every
 * frame of a sequence [N, frames, H, W, C], the frame features averaged → [N, featureSize] — the
 * late fusion of TSN-style video classifiers. It owns only the frame encoder: disposing it
 * disposes that.
 *
 * @example
 * const clips = clipEncoderOf(await loadEncoder('runs/video/encoder'), 8);
 * const features = clips.apply(sequences, { training: false }); // [N, 8, 32, 32, 3] → [N, 128]
 */
export function clipEncoderOf(frameEncoder: Encoder, frames: number): Encoder {
  return createFrameStackEncoder({ frameEncoder, frames, pooling: 'mean', name: 'clip_encoder' });
}
