import type { Rng } from '@selfsup/backend';

/** Options of {@link contextWindows}. */
export interface ContextWindowOptions {
  /** Largest distance between a center word and a context word (word2vec: 5). */
  window: number;
  /** Per id: 1 for ids that are never centers or contexts (special tokens, padding). */
  special: Uint8Array;
  /** Per id: probability that a token survives subsampling (undefined: keep every token). */
  keepProbabilities?: Float64Array;
}

/** Centers and their context windows, drawn as word2vec does. */
export interface ContextWindows {
  /** The center token of each example. */
  centers: Int32Array;
  /** Start of each example's contexts in `contexts` (length = examples + 1). */
  offsets: Int32Array;
  /** The context tokens, example after example. */
  contexts: Int32Array;
}

/**
 * word2vec's training windows (Mikolov et al. 2013): per row, special tokens are dropped and
 * frequent tokens subsampled; each remaining token is a center whose context is the tokens up to
 * b positions away, b drawn uniformly from 1..window per center (the "dynamic window" that
 * weights near words more). Skip-gram makes one (center, context) pair per context token; CBOW
 * predicts the center from the bag of its contexts.
 *
 * @param ids token ids [rows, length] row-major.
 */
export function contextWindows(
  ids: ArrayLike<number>,
  rows: number,
  length: number,
  options: ContextWindowOptions,
  rng: Rng,
): ContextWindows {
  const { window, special, keepProbabilities } = options;
  if (!Number.isInteger(window) || window < 1)
    throw new Error(`contextWindows: window must be a positive integer, got ${window}`);
  const centers: number[] = [];
  const offsets: number[] = [0];
  const contexts: number[] = [];
  const kept: number[] = [];
  for (let row = 0; row < rows; row++) {
    kept.length = 0;
    for (let column = 0; column < length; column++) {
      const id = ids[row * length + column] as number;
      if (!(id >= 0 && id < special.length)) {
        throw new Error(
          `contextWindows: token id ${id} at [${row}, ${column}] is not in the vocabulary of size ${special.length}`,
        );
      }
      if (special[id] === 1) continue;
      if (keepProbabilities !== undefined && rng.next() >= (keepProbabilities[id] as number)) continue;
      kept.push(id);
    }
    for (let i = 0; i < kept.length; i++) {
      const reach = 1 + rng.int(window);
      const from = Math.max(0, i - reach);
      const to = Math.min(kept.length - 1, i + reach);
      if (to - from < 1) continue;
      centers.push(kept[i] as number);
      for (let j = from; j <= to; j++) if (j !== i) contexts.push(kept[j] as number);
      offsets.push(contexts.length);
    }
  }
  return { centers: Int32Array.from(centers), offsets: Int32Array.from(offsets), contexts: Int32Array.from(contexts) };
}
