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
  const inputs: number[][] = [];
  const targets: number[][] = [];
  const spansPerRow = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    const content: number[] = [];
    for (let column = 0; column < length; column++) {
      const i = row * length + column;
      const id = ids[i] as number;
      if (!(id >= 0 && id < vocabulary.size) || !Number.isInteger(id))
        throw idOutOfRange(caller, id, i, length, vocabulary.size);
      if (special[id] === 0) content.push(id);
    }
    const total = content.length;
    if (total < 2) {
      inputs.push([...content, vocabulary.sepId]);
      targets.push([vocabulary.sepId]);
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
    spansPerRow[row] = spans;
    const noiseLengths = randomSegmentation(noise, spans, rng);
    const keptLengths = randomSegmentation(total - noise, spans, rng);
    const input: number[] = [];
    const target: number[] = [];
    let position = 0;
    for (let span = 0; span < spans; span++) {
      for (let k = 0; k < (keptLengths[span] as number); k++) input.push(content[position++] as number);
      const sentinel = sentinels[span] as number;
      input.push(sentinel);
      target.push(sentinel);
      for (let k = 0; k < (noiseLengths[span] as number); k++) target.push(content[position++] as number);
    }
    input.push(vocabulary.sepId);
    target.push(vocabulary.sepId);
    inputs.push(input);
    targets.push(target);
  }
  const inputLength = Math.max(1, ...inputs.map((row) => row.length));
  const targetLength = Math.max(1, ...targets.map((row) => row.length));
  const inputIds = new Int32Array(rows * inputLength).fill(vocabulary.padId);
  const labels = new Int32Array(rows * targetLength).fill(IGNORE_INDEX);
  const decoderInputIds = new Int32Array(rows * targetLength).fill(vocabulary.padId);
  for (let row = 0; row < rows; row++) {
    inputIds.set(inputs[row] as number[], row * inputLength);
    const target = targets[row] as number[];
    labels.set(target, row * targetLength);
    decoderInputIds.set(target.slice(0, -1), row * targetLength + 1);
  }
  return { rows, inputIds, inputLength, labels, decoderInputIds, targetLength, spansPerRow };
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
