import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Tensor } from '@selfsup/backend';
import type { Dataset } from '@selfsup/data';
import {
  corpusSamples,
  loadTokenizer,
  readCorpus,
  type TextTokenizer,
  tokenBatches,
  tokenCounts,
  trainTokenizer,
} from '@selfsup/text';
import type { TextObjectiveData } from '@selfsup/trainer';
import { CliError } from '../cli-error.js';
import type { RunConfig } from '../config/config-schema.js';
import { reportIgnoredFiles } from '../data/data-files.js';
import type { TextTaskInputs } from './text-task-inputs.js';
import type { RunDataFacts, SkippedFile } from './training-data.js';

/** The training data of a text run: the task's samples of token ids and the tokenizer that made them. */
export interface TextTrainingData extends TextObjectiveData, RunDataFacts {
  /**
   * Batches of token ids int32, a deterministic order per (seed, epoch): [batchSize, sequenceLength]
   * packed sequences, or [batchSize, segments, segmentLength] for sentence-order tasks.
   */
  dataset: Dataset<Tensor>;
  documents: number;
  tokenizer: TextTokenizer;
  /** Where the tokenizer came from: `trained`, or the file it was loaded from. */
  tokenizerSource: string;
  /** Files left out (`data.onError: skip`): not valid UTF-8 or unreadable, with the reason. */
  skipped: SkippedFile[];
}

type TextCorpusConfig = Extract<RunConfig['data'], { kind: 'text-corpus' }>;

/** What the run's task needs from a corpus. */
export interface TextCorpusRequest {
  /** The task's id and resolved options (they may set the segments per sample). */
  taskId: string;
  taskOptions: Record<string, unknown>;
  inputs: TextTaskInputs;
  /** The run's saved tokenizer.json: used when it exists (a resumed run keeps its vocabulary). */
  savedTokenizer?: string | undefined;
}

async function tokenizerFor(
  data: TextCorpusConfig,
  documents: string[][],
  request: TextCorpusRequest,
  log: (line: string) => void,
): Promise<{ tokenizer: TextTokenizer; source: string }> {
  const saved = request.savedTokenizer;
  const file = data.tokenizer.path ?? (saved !== undefined && existsSync(saved) ? saved : undefined);
  if (file !== undefined) {
    const field = data.tokenizer.path === undefined ? 'the run’s tokenizer.json' : 'data.tokenizer.path';
    let tokenizer: TextTokenizer;
    try {
      tokenizer = await loadTokenizer(file);
    } catch (error) {
      throw new CliError('data', `${field}: ${(error as Error).message}`);
    }
    if (request.inputs.sentinels && tokenizer.vocabulary.sentinelIds.length === 0) {
      throw new CliError(
        'data',
        `${field}: ${file} has no sentinel tokens (<extra_id_0>, …), which task '${request.taskId}' needs; leave data.tokenizer.path out to train one with data.tokenizer.sentinels`,
      );
    }
    return { tokenizer, source: file };
  }
  const started = performance.now();
  const sentinels = data.tokenizer.sentinels ?? 0;
  let tokenizer: TextTokenizer;
  try {
    tokenizer = await trainTokenizer(documents.flat(), {
      model: data.tokenizer.model,
      vocabSize: data.tokenizer.vocabSize,
      sentinels,
    });
  } catch (error) {
    throw new CliError('data', `data.tokenizer: cannot train a tokenizer on ${data.path}: ${(error as Error).message}`);
  }
  log(
    `trained a ${data.tokenizer.model} tokenizer of ${tokenizer.vocabSize} tokens${sentinels > 0 ? ` (${sentinels} sentinels)` : ''} on the corpus in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { tokenizer, source: 'trained' };
}

/**
 * Reads a text corpus (a file or a folder of `.txt`/`.text`/`.md`/`.jsonl`), gets its tokenizer —
 * the one named by `data.tokenizer.path`, the run's saved `tokenizer.json` when resuming, or one
 * trained on the corpus (with sentinels for T5) — and makes the task's samples of every document:
 * sentences packed into sequences of `data.sequenceLength` tokens, or consecutive segments for
 * sentence-order tasks. Word2vec tasks also get the corpus's token counts.
 *
 * @throws CliError('data') naming the field: a missing, empty or unreadable corpus, a bad tokenizer
 *   file, or a corpus too small for one batch.
 */
export async function loadTextCorpusData(
  data: TextCorpusConfig,
  seed: number,
  log: (line: string) => void,
  request: TextCorpusRequest,
): Promise<TextTrainingData> {
  const documents: string[][] = [];
  const skipped: SkippedFile[] = [];
  const hash = createHash('sha256');
  // Per file too, to name the one that changed when a resume is refused (JSON Lines: `file:record`).
  const fileHashes = new Map<string, ReturnType<typeof createHash>>();
  const onSkip = (file: SkippedFile) => {
    skipped.push(file);
    log(`skipped ${file.path}: ${file.reason}`);
  };
  try {
    const options = { documents: data.documents, field: data.field, onError: data.onError, onSkip };
    for await (const document of readCorpus(data.path, options)) {
      documents.push(document.lines);
      hash.update(document.lines.join('\n')).update('\u0000');
      const file = document.source.replace(/(\.jsonl):\d+$/i, '$1');
      if (!fileHashes.has(file)) fileHashes.set(file, createHash('sha256'));
      fileHashes.get(file)?.update(document.lines.join('\n')).update('\u0000');
      if (data.limit !== undefined && documents.length >= data.limit) break;
    }
  } catch (error) {
    const hint = data.onError === 'throw' ? ' (set data.onError: skip to leave such files out)' : '';
    throw new CliError('data', `data.path: ${(error as Error).message}${hint}`);
  }
  const ignored = await reportIgnoredFiles(data.path, 'text', { recursive: true, log });
  const { tokenizer, source } = await tokenizerFor(data, documents, request, log);
  const { vocabulary } = tokenizer;
  const segments = request.inputs.samples === 'segments' ? (request.inputs.segments ?? 2) : 0;
  const {
    samples,
    sampleShape,
    description: what,
  } = await corpusSamples(documents, tokenizer, {
    sequenceLength: data.sequenceLength,
    segments,
  });
  if (samples.length < data.batchSize) {
    throw new CliError(
      'data',
      `data.path: ${data.path} gives ${what}, fewer than one batch of ${data.batchSize} (data.batchSize)`,
    );
  }
  const taskOptions: Record<string, unknown> = { vocabulary };
  if (request.inputs.counts) taskOptions.counts = tokenCounts(samples, tokenizer.vocabSize);
  const tokens = samples.length * sampleShape.reduce((a, b) => a * b, 1);
  return {
    modality: 'text',
    dataset: tokenBatches(samples, { batchSize: data.batchSize, sampleShape, seed, dropRemainder: true }),
    sampleShape,
    count: samples.length,
    documents: documents.length,
    tokenizer,
    tokenizerSource: source,
    sequenceLength: data.sequenceLength,
    taskOptions,
    fingerprint: hash.digest('hex'),
    dataFiles: Object.fromEntries([...fileHashes].map(([file, fileHash]) => [file, fileHash.digest('hex')])),
    ignored,
    skipped,
    description: `${data.path}: ${documents.length} document${documents.length === 1 ? '' : 's'} → ${what} (${tokens.toLocaleString('en')} token slots), vocabulary ${tokenizer.vocabSize}${skipped.length > 0 ? `, ${skipped.length} unreadable file${skipped.length === 1 ? '' : 's'} skipped` : ''}`,
  };
}
