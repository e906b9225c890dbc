import type { Rng } from '@selfsup/backend';
import type { TokenVocabulary } from '../tokenizer/token-vocabulary.js';
import { checkShape, IGNORE_INDEX, idOutOfRange, vocabularyTables } from './masked-tokens.js';

export interface SpanCorruptionOptions {
  vocabulary: TokenVocabulary;
  /** Fraction of each row's tokens that become noise (T5: 0.15). */
  noiseDensity: number;
  /** Mean noise-span length in tokens (T5: 3). */
  meanNoiseSpanLength: number;
}

/** Encoder inputs and decoder targets of span corruption, padded per batch, row-major. */
export interface CorruptedSpans {
  rows: number;
  /** Inputs: kept tokens with a sentinel per dropped span, then the end token; [rows, inputLength]. */
  inputIds: Int32Array;
  inputLength: number;
  /** Targets: each sentinel followed by the span it hides, then the end token; −100 padding; [rows, targetLength]. */
  labels: Int32Array;
  /** The targets shifted right behind the decoder start token (the pad id, as T5), pad-padded. */
  decoderInputIds: Int32Array;
  targetLength: number;
  /** Noise spans per row. */
  spansPerRow: Int32Array;
}

/**
 * T5's span corruption (Raffel et al. 2020, arXiv:1910.10683; `random_spans_noise_mask`): per
 * row, the non-special tokens are split into round(L·noiseDensity) noise tokens in
 * round(noise / meanNoiseSpanLength) spans, with span and gap lengths drawn as random
 * partitions; the inputs keep the other tokens and put sentinel i (`<extra_id_i>`) where span i
 * was, and the targets list sentinel i followed by span i's tokens. Both end with the `[SEP]`
 * (end-of-sequence) id. Putting each span back in place of its sentinel restores the row exactly.
 *
 * @param ids token ids [rows, length]; special tokens and padding are dropped first.
 * @throws when the vocabulary has fewer sentinels than a row needs, or for bad options or ids.
 */
export function corruptSpans(
  ids: ArrayLike<number>,
  shape: readonly [number, number],
  options: Partial<SpanCorruptionOptions> & { vocabulary: TokenVocabulary },
  rng: Rng,
): CorruptedSpans {
  const caller = 'corruptSpans';
  const [rows, length] = shape;
  checkShape(ids, rows, length, caller);
  const noiseDensity = options.noiseDensity ?? 0.15;
  const meanNoiseSpanLength = options.meanNoiseSpanLength ?? 3;
  if (!(noiseDensity > 0 && noiseDensity < 1))
    throw new Error(`${caller}: noiseDensity must be in (0, 1), got ${noiseDensity}`);
  if (!(meanNoiseSpanLength >= 1)) {
    throw new Error(`${caller}: meanNoiseSpanLength must be at least 1, got ${meanNoiseSpanLength}`);
  }
  const { vocabulary } = options;
  const { special } = vocabularyTables(vocabulary, caller);
  const sentinels = vocabulary.sentinelIds;
  const { padId, sepId } = vocabulary;
  // First pass, no draws: each row's content (non-special tokens) packed left in one buffer, and
  // its noise and span counts, which fix both output lengths before anything is drawn.
  const content = new Int32Array(rows * length);
  const totals = new Int32Array(rows);
  const noiseTokens = new Int32Array(rows);
  const spansPerRow = new Int32Array(rows);
  const integral = ids instanceof Int32Array || ids instanceof Uint16Array || ids instanceof Uint8Array;
  let inputLength = 1;
  let targetLength = 1;
  for (let row = 0; row < rows; row++) {
    let total = 0;
    const offset = row * length;
    for (let column = 0; column < length; column++) {
      const id = ids[offset + column] as number;
      if (!(id >= 0 && id < vocabulary.size) || (!integral && !Number.isInteger(id)))
        throw idOutOfRange(caller, id, offset + column, length, vocabulary.size);
      if (special[id] === 0) content[offset + total++] = id;
    }
    totals[row] = total;
    if (total < 2) {
      inputLength = Math.max(inputLength, total + 1);
      continue;
    }
    const noise = Math.min(Math.max(Math.round(total * noiseDensity), 1), total - 1);
    const spans = Math.min(Math.max(Math.round(noise / meanNoiseSpanLength), 1), noise, total - noise);
    if (spans > sentinels.length) {
      throw new Error(
        `${caller}: row ${row} needs ${spans} sentinel tokens but the vocabulary has ${sentinels.length}; ` +
          'train the tokenizer with sentinels (trainTokenizer({ sentinels: 100 })) or use shorter rows',
      );
    }
    noiseTokens[row] = noise;
    spansPerRow[row] = spans;
    // Inputs: the kept tokens, a sentinel per span, the end token; targets: sentinels, noise, end.
    inputLength = Math.max(inputLength, total - noise + spans + 1);
    targetLength = Math.max(targetLength, noise + spans + 1);
  }
  const inputIds = new Int32Array(rows * inputLength).fill(padId);
  const labels = new Int32Array(rows * targetLength).fill(IGNORE_INDEX);
  const decoderInputIds = new Int32Array(rows * targetLength).fill(padId);
  // Second pass: the segmentations (the same draws, in the same order, as randomSegmentation
  // twice per row) written straight into the outputs.
  const noiseLengths = new Int32Array(length);
  const keptLengths = new Int32Array(length);
  const gaps = new Int32Array(length);
  for (let row = 0; row < rows; row++) {
    const total = totals[row] as number;
    let source = row * length;
    let input = row * inputLength;
    let target = row * targetLength;
    const targetStart = target;
    if (total < 2) {
      for (let k = 0; k < total; k++) inputIds[input++] = content[source++] as number;
      inputIds[input] = sepId;
      labels[target] = sepId;
      continue;
    }
    const noise = noiseTokens[row] as number;
    const spans = spansPerRow[row] as number;
    segment(noise, spans, rng, gaps, noiseLengths);
    segment(total - noise, spans, rng, gaps, keptLengths);
    for (let span = 0; span < spans; span++) {
      for (let k = keptLengths[span] as number; k > 0; k--) inputIds[input++] = content[source++] as number;
      const sentinel = sentinels[span] as number;
      inputIds[input++] = sentinel;
      labels[target++] = sentinel;
      for (let k = noiseLengths[span] as number; k > 0; k--) labels[target++] = content[source++] as number;
    }
    inputIds[input] = sepId;
    labels[target] = sepId;
    // The decoder reads the targets shifted right behind the start token (pad).
    decoderInputIds.set(labels.subarray(targetStart, target), targetStart + 1);
  }
  return { rows, inputIds, inputLength, labels, decoderInputIds, targetLength, spansPerRow };
}

/**
 * {@link randomSegmentation} into `lengths` (its first `segments` entries), with `gaps` (at least
 * `items` long) as scratch: the same draws and parts, no allocation.
 */
function segment(items: number, segments: number, rng: Rng, gaps: Int32Array, lengths: Int32Array): void {
  const cutCount = segments - 1;
  for (let i = 0; i < items - 1; i++) gaps[i] = i + 1;
  // A partial Fisher–Yates shuffle picks the cut points (rng.int(gaps − i)).
  for (let i = 0; i < cutCount; i++) {
    const j = i + Math.floor(rng.next() * (items - 1 - i));
    const swap = gaps[i] as number;
    gaps[i] = gaps[j] as number;
    gaps[j] = swap;
  }
  // The few cut points in ascending order (insertion sort).
  for (let i = 1; i < cutCount; i++) {
    const cut = gaps[i] as number;
    let k = i - 1;
    while (k >= 0 && (gaps[k] as number) > cut) {
      gaps[k + 1] = gaps[k] as number;
      k--;
    }
    gaps[k + 1] = cut;
  }
  let previous = 0;
  for (let i = 0; i < cutCount; i++) {
    lengths[i] = (gaps[i] as number) - previous;
    previous = gaps[i] as number;
  }
  lengths[cutCount] = items - previous;
}

/**
 * A uniformly random composition of `items` into `segments` positive parts (T5's
 * `_random_segmentation`): choose segments − 1 distinct cut points among the items − 1 gaps.
 */
export function randomSegmentation(items: number, segments: number, rng: Rng): Int32Array {
  if (!Number.isInteger(segments) || segments < 1 || segments > items) {
    throw new Error(`randomSegmentation: cannot split ${items} items into ${segments} non-empty segments`);
  }
  const gaps = Array.from({ length: items - 1 }, (_, i) => i + 1);
  // A partial Fisher–Yates shuffle picks the cut points.
  for (let i = 0; i < segments - 1; i++) {
    const j = i + rng.int(gaps.length - i);
    const tmp = gaps[i] as number;
    gaps[i] = gaps[j] as number;
    gaps[j] = tmp;
  }
  const cuts = gaps.slice(0, segments - 1).sort((a, b) => a - b);
  const lengths = new Int32Array(segments);
  let previous = 0;
  cuts.forEach((cut, i) => {
    lengths[i] = cut - previous;
    previous = cut;
  });
  lengths[segments - 1] = items - previous;
  return lengths;
}
