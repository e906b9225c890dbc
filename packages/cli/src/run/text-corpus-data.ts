import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Tensor } from '@selfsup/backend';
import type { Dataset } from '@selfsup/data';
import {
  loadTokenizer,
  packSequences,
  readCorpus,
  type TextTokenizer,
  tokenBatches,
  trainTokenizer,
} from '@selfsup/text';
import { CliError } from '../cli-error.js';
import type { RunConfig } from '../config/config-schema.js';

/** The training data of a text run: packed token sequences and the tokenizer that made them. */
export interface TextTrainingData {
  modality: 'text';
  /** Batches of token ids [batchSize, sequenceLength] int32, a deterministic order per (seed, epoch). */
  dataset: Dataset<Tensor>;
  /** Sequences per epoch (before the last partial batch is dropped). */
  count: number;
  documents: number;
  tokenizer: TextTokenizer;
  /** Where the tokenizer came from: `trained`, or the file it was loaded from. */
  tokenizerSource: string;
  sequenceLength: number;
  /** A hash of the corpus text, to notice changed data on resume. */
  fingerprint: string;
  description: string;
}

type TextCorpusConfig = Extract<RunConfig['data'], { kind: 'text-corpus' }>;

async function tokenizerFor(
  data: TextCorpusConfig,
  documents: string[][],
  savedTokenizer: string | undefined,
  log: (line: string) => void,
): Promise<{ tokenizer: TextTokenizer; source: string }> {
  const file =
    data.tokenizer.path ?? (savedTokenizer !== undefined && existsSync(savedTokenizer) ? savedTokenizer : undefined);
  if (file !== undefined) {
    try {
      return { tokenizer: await loadTokenizer(file), source: file };
    } catch (error) {
      const field = data.tokenizer.path === undefined ? 'the run’s tokenizer.json' : 'data.tokenizer.path';
      throw new CliError('data', `${field}: ${(error as Error).message}`);
    }
  }
  const started = performance.now();
  const tokenizer = await trainTokenizer(documents.flat(), {
    model: data.tokenizer.model,
    vocabSize: data.tokenizer.vocabSize,
  });
  log(
    `trained a ${data.tokenizer.model} tokenizer of ${tokenizer.vocabSize} tokens on the corpus in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { tokenizer, source: 'trained' };
}

/**
 * Reads a text corpus (a file or a folder of `.txt`/`.md`/`.jsonl`), gets its tokenizer — the one
 * named by `data.tokenizer.path`, the run's saved `tokenizer.json` when resuming, or one trained on
 * the corpus — and packs every document into sequences of `data.sequenceLength` tokens.
 *
 * @throws CliError('data') naming the field: a missing, empty or unreadable corpus, a bad tokenizer
 *   file, or a corpus too small for one batch.
 */
export async function loadTextCorpusData(
  data: TextCorpusConfig,
  seed: number,
  log: (line: string) => void,
  savedTokenizer?: string,
): Promise<TextTrainingData> {
  const documents: string[][] = [];
  const hash = createHash('sha256');
  try {
    for await (const document of readCorpus(data.path, { documents: data.documents, field: data.field })) {
      documents.push(document.lines);
      hash.update(document.lines.join('\n')).update('\u0000');
      if (data.limit !== undefined && documents.length >= data.limit) break;
    }
  } catch (error) {
    throw new CliError('data', `data.path: ${(error as Error).message}`);
  }
  const { tokenizer, source } = await tokenizerFor(data, documents, savedTokenizer, log);
  const { vocabulary } = tokenizer;
  const sequences: Int32Array[] = [];
  for (const lines of documents) {
    sequences.push(...packSequences(await tokenizer.tokenIds(lines), { vocabulary, length: data.sequenceLength }));
  }
  if (sequences.length < data.batchSize) {
    throw new CliError(
      'data',
      `data.path: ${data.path} gives ${sequences.length} sequence${sequences.length === 1 ? '' : 's'} of ${data.sequenceLength} tokens, fewer than one batch of ${data.batchSize} (data.batchSize)`,
    );
  }
  const tokens = sequences.length * data.sequenceLength;
  return {
    modality: 'text',
    dataset: tokenBatches(sequences, {
      batchSize: data.batchSize,
      sampleShape: [data.sequenceLength],
      seed,
      dropRemainder: true,
    }),
    count: sequences.length,
    documents: documents.length,
    tokenizer,
    tokenizerSource: source,
    sequenceLength: data.sequenceLength,
    fingerprint: hash.digest('hex'),
    description: `${data.path}: ${documents.length} document${documents.length === 1 ? '' : 's'} → ${sequences.length} sequences of ${data.sequenceLength} tokens (${tokens.toLocaleString('en')} token slots), vocabulary ${tokenizer.vocabSize}`,
  };
}
