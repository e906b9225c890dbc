import { type Rng, type Tensor2D, tf } from '@selfsup/backend';
import type { TaskEncoder } from '@selfsup/pretext';
import type { TokenVocabulary } from '../tokenizer/token-vocabulary.js';

/**
 * Labeled passages to probe a text encoder on: each example is a passage, a few token sequences
 * of one document (its feature is the mean of theirs), labeled with its document's class.
 */
export interface PassageSet {
  /** Each passage's sequences of token ids (equal lengths across the set). */
  examples: Int32Array[][];
  /** Each passage's class. */
  labels: number[];
}

/** Options of {@link passageSet}. */
export interface PassageSetOptions {
  /** Consecutive sequences per passage. */
  sequencesPerPassage: number;
  /** Passages taken from each document (at most; fewer when it is short). */
  passagesPerDocument: number;
  /** Draws which of a document's passages are taken; without it, the first ones. */
  rng?: Rng;
}

/**
 * Cuts documents into passages of `sequencesPerPassage` consecutive sequences and takes up to
 * `passagesPerDocument` of each (drawn by `rng`, else the first), labeled with the document's
 * class. A document shorter than one passage gives one passage of all its sequences, so no
 * labeled document is lost; one with no sequence gives none. A few sentences say little about a
 * genre: a passage of 256 tokens says more.
 *
 * @param documents each document's packed sequences (`packSequences`).
 * @param labels each document's class.
 * @example
 * const probeTrain = passageSet(trainBlocks, trainLabels, { sequencesPerPassage: 4, passagesPerDocument: 4, rng });
 */
export function passageSet(
  documents: readonly Int32Array[][],
  labels: readonly number[],
  options: PassageSetOptions,
): PassageSet {
  const size = options.sequencesPerPassage;
  const set: PassageSet = { examples: [], labels: [] };
  documents.forEach((sequences, d) => {
    if (sequences.length === 0) return;
    const whole = Math.max(1, Math.floor(sequences.length / size));
    const starts = Array.from({ length: whole }, (_, p) => p * size);
    const chosen = (options.rng === undefined ? starts : options.rng.shuffle(starts)).slice(
      0,
      options.passagesPerDocument,
    );
    for (const start of chosen) {
      set.examples.push(sequences.slice(start, start + size));
      set.labels.push(labels[d] as number);
    }
  });
  return set;
}

/**
 * Frozen features of passages: the encoder's feature (`apply`, evaluation mode) of every sequence,
 * averaged over each passage's sequences, computed `batchSize` sequences at a time.
 *
 * Shapes: sequences go through the encoder as [batch, length] int32 → [batch, featureSize]; the
 * result is [passages, featureSize] float32 (the caller disposes it).
 *
 * @example
 * const features = passageFeatures(encoder, probeTest.examples); // [passages, encoder.featureSize]
 */
export function passageFeatures(encoder: TaskEncoder, passages: readonly Int32Array[][], batchSize = 64): Tensor2D {
  const flat = passages.flat();
  const owners = passages.flatMap((passage, p) => passage.map(() => p));
  const length = flat[0]?.length ?? 0;
  const dim = encoder.featureSize;
  const sums = new Float32Array(passages.length * dim);
  for (let start = 0; start < flat.length; start += batchSize) {
    const batch = flat.slice(start, start + batchSize);
    const ids = new Int32Array(batch.length * length);
    batch.forEach((sequence, i) => {
      ids.set(sequence, i * length);
    });
    const values = tf.tidy(() =>
      encoder.apply(tf.tensor2d(ids, [batch.length, length], 'int32'), { training: false }).dataSync(),
    );
    batch.forEach((_, i) => {
      const row = (owners[start + i] as number) * dim;
      for (let d = 0; d < dim; d++) sums[row + d] = (sums[row + d] as number) + (values[i * dim + d] as number);
    });
  }
  passages.forEach((passage, p) => {
    for (let d = 0; d < dim; d++) sums[p * dim + d] = (sums[p * dim + d] as number) / Math.max(1, passage.length);
  });
  return tf.tensor2d(sums, [passages.length, dim], 'float32');
}

/**
 * The `count` most frequent non-special token ids (ties: the smaller id first): the columns of
 * a bag-of-words floor.
 *
 * @param counts frequencies by token id [vocabSize] (`tokenCounts`).
 * @example
 * const columns = frequentTokenIds(tokenCounts(trainSequences, tokenizer.vocabSize), tokenizer.vocabulary, 2048);
 */
export function frequentTokenIds(counts: Float64Array, vocabulary: TokenVocabulary, count: number): Int32Array {
  const special = new Set([...vocabulary.specialIds, ...vocabulary.sentinelIds]);
  const ids = Array.from(counts.keys()).filter((id) => !special.has(id) && (counts[id] as number) > 0);
  ids.sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b);
  return Int32Array.from(ids.slice(0, count));
}

/**
 * Bag-of-words features of passages, the floor a text encoder's features must beat: log(1 + count)
 * of each of `tokenIds` over a passage's sequences (other ids are not counted).
 *
 * Shape: [passages, tokenIds.length] float32 (the caller disposes it).
 *
 * @example
 * const floor = bagOfWordsFeatures(probeTest.examples, frequentTokenIds(counts, vocabulary, 2048));
 */
export function bagOfWordsFeatures(passages: readonly Int32Array[][], tokenIds: Int32Array): Tensor2D {
  const column = new Map<number, number>();
  tokenIds.forEach((id, c) => {
    column.set(id, c);
  });
  const width = tokenIds.length;
  const values = new Float32Array(passages.length * width);
  passages.forEach((passage, p) => {
    for (const sequence of passage) {
      for (const id of sequence) {
        const c = column.get(id);
        if (c !== undefined) values[p * width + c] = (values[p * width + c] as number) + 1;
      }
    }
  });
  for (let i = 0; i < values.length; i++) values[i] = Math.log1p(values[i] as number);
  return tf.tensor2d(values, [passages.length, width], 'float32');
}
