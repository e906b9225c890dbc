import type { LabeledImages } from '@selfsup/data';
import { evenlySpacedIndices } from './frame-selection.js';
import type { FrameSequences } from './video-folder.js';

/**
 * Single frames of labeled sequences as labeled images: `perSequence` evenly spaced frames of each
 * sequence (the first and the last among them), each with its sequence's label — the data of a
 * downstream probe of a per-frame encoder (which item is in this frame?), for `evaluateEncoder`
 * or `encoderEvaluation` of `@selfsup/trainer`.
 *
 * Shapes: sequences [count, frames, H, W, C] bytes and labels [count] → images
 * [count·perSequence, H, W, C] bytes (frame k of sequence s at row s·perSequence + k), labels
 * [count·perSequence].
 *
 * @example
 * const { sequences, files } = await loadVideos(videos.map((v) => v.file), { frames: { count: 24 }, size: 40, channels: 1 });
 * const labels = files.map((file) => videos.find((v) => v.file === file)?.label ?? -1);
 * const probe = labeledFrames(sequences, labels, 4); // 4 frames per video, each with its video's label
 * @throws if the labels do not match the sequences one to one, a label is not an integer in
 *   0–255, or `perSequence` is not an integer from 1 to the frames of a sequence.
 */
export function labeledFrames(
  sequences: FrameSequences,
  labels: readonly number[],
  perSequence: number,
): LabeledImages {
  const { frames, height, width, channels } = sequences;
  if (labels.length !== sequences.count) {
    throw new Error(`labeledFrames: ${labels.length} labels for ${sequences.count} sequences`);
  }
  if (!Number.isInteger(perSequence) || perSequence < 1 || perSequence > frames) {
    throw new Error(`labeledFrames: perSequence must be an integer from 1 to ${frames}, got ${perSequence}`);
  }
  const picks = evenlySpacedIndices(frames, perSequence);
  const frameSize = height * width * channels;
  const count = sequences.count * perSequence;
  const images = new Uint8Array(count * frameSize);
  const frameLabels = new Uint8Array(count);
  for (let s = 0; s < sequences.count; s++) {
    const label = labels[s] as number;
    if (!Number.isInteger(label) || label < 0 || label > 255) {
      throw new Error(`labeledFrames: the label of sequence ${s} is ${label}, not an integer in 0–255`);
    }
    picks.forEach((frame, k) => {
      const source = (s * frames + frame) * frameSize;
      images.set(sequences.data.subarray(source, source + frameSize), (s * perSequence + k) * frameSize);
      frameLabels[s * perSequence + k] = label;
    });
  }
  return { images, labels: frameLabels, count, height, width, channels };
}
