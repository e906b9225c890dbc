import { type Rng, type Tensor, type Tensor2D, type Tensor4D, type Tensor5D, tf } from '@selfsup/backend';

/** Checks that samples are frame sequences [N, T, H, W, C] with at least `minimumFrames` frames. */
export function checkSequences(sequences: Tensor, owner: string, minimumFrames: number): Tensor5D {
  if (sequences.rank !== 5) {
    throw new Error(`${owner}: samples must be frame sequences [N, T, H, W, C]; got [${sequences.shape}]`);
  }
  const frames = sequences.shape[1] as number;
  if (frames < minimumFrames) {
    throw new Error(
      `${owner}: needs sequences of at least ${minimumFrames} frames; got ${frames} ([${sequences.shape}])`,
    );
  }
  if ((sequences.shape[0] as number) < 1) throw new Error(`${owner}: got an empty batch [${sequences.shape}]`);
  return sequences as Tensor5D;
}

/**
 * Motion between consecutive frames: the mean absolute difference of frame t+1 and frame t, per
 * sequence — [N][T − 1] (a cheap stand-in for the optical-flow magnitude the papers use).
 */
export function frameMotion(sequences: Tensor5D): number[][] {
  const [count, frames] = sequences.shape;
  if (frames < 2) return Array.from({ length: count }, () => []);
  const values = tf.tidy(() => {
    const next = tf.slice(sequences, [0, 1], [-1, frames - 1]);
    const previous = tf.slice(sequences, [0, 0], [-1, frames - 1]);
    return tf.mean(tf.abs(tf.sub(next, previous)), [2, 3, 4]).dataSync();
  });
  return Array.from({ length: count }, (_, n) => Array.from(values.subarray(n * (frames - 1), (n + 1) * (frames - 1))));
}

/**
 * The start of a window of `span` frames, uniformly among the windows whose total motion is at or
 * above the `quantile` of all windows of the sequence (0: any window) — Shuffle & Learn's and
 * OPN's sampling from high-motion windows.
 */
export function highMotionWindowStart(
  motion: readonly number[] | undefined,
  frames: number,
  span: number,
  quantile: number,
  rng: Rng,
): number {
  const windows = frames - span + 1;
  if (windows <= 1) return 0;
  if (motion === undefined || quantile <= 0) return rng.int(windows);
  const scores = Array.from({ length: windows }, (_, start) => {
    let total = 0;
    for (let t = start; t < start + span - 1; t++) total += motion[t] as number;
    return total;
  });
  const sorted = [...scores].sort((a, b) => a - b);
  const threshold = sorted[Math.min(windows - 1, Math.floor(quantile * windows))] as number;
  const candidates = scores.flatMap((score, start) => (score >= threshold ? [start] : []));
  return candidates[rng.int(candidates.length)] as number;
}

/** A window of a sequence: its first frame and its length in frames. */
export interface FrameWindow {
  start: number;
  span: number;
}

/**
 * One window of `span` frames per sequence, drawn by {@link highMotionWindowStart} (the motion is
 * measured once for the batch), and what `draw` makes of it, in sequence order. Each `draw` runs
 * right after its window is chosen, so one seed gives one stream: window, draw, window, draw, …
 */
export function sampleWindows<T>(
  sequences: Tensor5D,
  window: { span: number; motionQuantile: number },
  rng: Rng,
  draw: (window: FrameWindow, sequence: number) => T,
): T[] {
  const [count, length] = sequences.shape;
  const { span, motionQuantile } = window;
  const motion = motionQuantile > 0 && span < length ? frameMotion(sequences) : undefined;
  return Array.from({ length: count }, (_, n) =>
    draw({ start: highMotionWindowStart(motion?.[n], length, span, motionQuantile, rng), span }, n),
  );
}

/** `count` distinct sorted frame numbers drawn uniformly from [start, start + span). */
export function sortedDistinctFrames(start: number, span: number, count: number, rng: Rng): number[] {
  if (count > span) throw new Error(`cannot draw ${count} distinct frames from a window of ${span}`);
  const picks = Array.from(rng.permutation(span).subarray(0, count));
  return picks.sort((a, b) => a - b).map((offset) => start + offset);
}

/**
 * Gathers frames by (sequence, frame) into [rows, H, W, C]: `frames[r]` is the frame number taken
 * from sequence ⌊r / perExample⌋.
 */
export function gatherFrames(sequences: Tensor5D, frames: readonly number[], perExample: number): Tensor4D {
  const [count, length, height, width, channels] = sequences.shape;
  const rows = frames.map((frame, r) => Math.floor(r / perExample) * length + frame);
  return tf.tidy(() => {
    const flat = tf.reshape(sequences, [count * length, height, width, channels]) as Tensor4D;
    return tf.gather(flat, tf.tensor1d(rows, 'int32')) as Tensor4D;
  });
}

/** Frame numbers as an int32 tensor [N, perExample] (kept in a batch for checks and previews). */
export function frameIndexTensor(frames: readonly number[], perExample: number): Tensor2D {
  return tf.tensor2d([...frames], [frames.length / perExample, perExample], 'int32');
}
