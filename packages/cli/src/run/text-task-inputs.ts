/**
 * What a text task trains on, beyond the corpus's token ids: how documents become samples, the
 * encoders it can train, and what the tokenizer and the run must provide. The built-in tasks of
 * `@selfsup/text` are listed here; any other text task (a plugin's) gets {@link DEFAULT_TEXT_TASK_INPUTS}.
 */
export interface TextTaskInputs {
  /**
   * `packed`: sentences packed into `[CLS] … [SEP]` sequences of `data.sequenceLength` tokens
   * (samples [sequenceLength]); `segments`: `segments` consecutive segments of a document per
   * sample, each at most {@link segmentLength} tokens (samples [segments, segmentLength]).
   */
  samples: 'packed' | 'segments';
  /** Segments per sample (the `segments` layout), from the task's resolved options. */
  segments?: (options: Record<string, unknown>) => number;
  /** The encoders it can train, the default first; left out: any text encoder, `text-transformer` by default. */
  models?: readonly string[];
  /** The tokenizer needs T5's sentinel tokens (`<extra_id_0>`, …). */
  sentinels?: boolean;
  /** The task takes token counts over the corpus (`counts`). */
  counts?: boolean;
}

/** A text task the CLI knows nothing about: packed sequences, any text encoder. */
export const DEFAULT_TEXT_TASK_INPUTS: TextTaskInputs = { samples: 'packed' };

/** The text encoder a task trains when the config names none. */
export const DEFAULT_TEXT_MODEL = 'text-transformer';

const transformer = ['text-transformer'] as const;

/** `@selfsup/text`'s tasks, by id. */
export const TEXT_TASK_INPUTS: Readonly<Record<string, TextTaskInputs>> = {
  'bert-mlm': { samples: 'packed', models: transformer },
  'whole-word-mlm': { samples: 'packed', models: transformer },
  'span-mlm': { samples: 'packed', models: transformer },
  'document-rotation': { samples: 'packed', models: transformer },
  'sentence-order': { samples: 'segments', segments: () => 2, models: transformer },
  'sentence-permutation': {
    samples: 'segments',
    segments: (options) => (typeof options.sentences === 'number' ? options.sentences : 3),
    models: transformer,
  },
  't5-span-corruption': { samples: 'packed', models: ['text-encoder-decoder'], sentinels: true },
  'skip-gram': { samples: 'packed', models: ['word2vec'], counts: true },
  cbow: { samples: 'packed', models: ['word2vec'], counts: true },
};

/** What the text task `id` trains on. */
export function textTaskInputs(id: string): TextTaskInputs {
  return TEXT_TASK_INPUTS[id] ?? DEFAULT_TEXT_TASK_INPUTS;
}

/**
 * Tokens per segment for `segments` segments in an encoder input of `sequenceLength` tokens: the
 * tasks read `[CLS] A [SEP] B [SEP] …`, so `segments · length + segments + 1 ≤ sequenceLength`.
 */
export function segmentLength(sequenceLength: number, segments: number): number {
  return Math.floor((sequenceLength - segments - 1) / segments);
}

/** Sentinel tokens trained into a tokenizer for a task that needs them (T5 used 100). */
export const DEFAULT_SENTINELS = 100;
