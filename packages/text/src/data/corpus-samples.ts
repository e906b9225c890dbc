import type { TextTokenizer } from '../tokenizer/text-tokenizer.js';
import { consecutiveSegments } from './consecutive-segments.js';
import { packSequences } from './pack-sequences.js';

/**
 * Tokens per segment for `segments` segments in an encoder input of `sequenceLength` tokens: the
 * tasks read `[CLS] A [SEP] B [SEP] …`, so `segments · length + segments + 1 ≤ sequenceLength`.
 *
 * @example
 * segmentLength(128, 2); // 62
 */
export function segmentLength(sequenceLength: number, segments: number): number {
  return Math.floor((sequenceLength - segments - 1) / segments);
}

/** How {@link corpusSamples} cuts documents. */
export interface CorpusSamplesOptions {
  /** Tokens an encoder input holds, [CLS] and [SEP] included. */
  sequenceLength: number;
  /** Consecutive segments per sample, for sentence-order tasks; 0 or left out: packed sequences. */
  segments?: number;
}

/** A corpus's training samples of token ids. */
export interface CorpusSamples {
  samples: Int32Array[];
  /** `[sequenceLength]`, or `[segments, segmentLength]`. */
  sampleShape: number[];
  /** What they are: `12 sequences of 128 tokens`, `5 samples of 2 consecutive segments × 62 tokens`. */
  description: string;
}

/**
 * The training samples of every document: its lines tokenized and packed into sequences of
 * `sequenceLength` tokens ({@link packSequences}), or, with `segments`, cut into samples of
 * consecutive segments of {@link segmentLength} tokens ({@link consecutiveSegments}).
 *
 * @example
 * const tokenizer = await trainTokenizer(documents.flat(), { vocabSize: 300 });
 * const { samples, sampleShape } = await corpusSamples(documents, tokenizer, { sequenceLength: 64 });
 * const batches = tokenBatches(samples, { batchSize: 8, sampleShape, seed: 0, dropRemainder: true });
 */
export async function corpusSamples(
  documents: Iterable<readonly string[]>,
  tokenizer: Pick<TextTokenizer, 'tokenIds' | 'vocabulary'>,
  options: CorpusSamplesOptions,
): Promise<CorpusSamples> {
  const { vocabulary } = tokenizer;
  const segments = options.segments ?? 0;
  const length = segments > 0 ? segmentLength(options.sequenceLength, segments) : options.sequenceLength;
  const samples: Int32Array[] = [];
  for (const lines of documents) {
    const ids = await tokenizer.tokenIds(lines);
    samples.push(
      ...(segments > 0
        ? consecutiveSegments(ids, { vocabulary, segments, length })
        : packSequences(ids, { vocabulary, length })),
    );
  }
  const plural = samples.length === 1 ? '' : 's';
  return {
    samples,
    sampleShape: segments > 0 ? [segments, length] : [length],
    description:
      segments > 0
        ? `${samples.length} sample${plural} of ${segments} consecutive segments × ${length} tokens`
        : `${samples.length} sequence${plural} of ${length} tokens`,
  };
}
