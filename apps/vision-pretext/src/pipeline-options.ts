import { parseArgs } from 'node:util';
import { BACKEND_REQUESTS, type BackendRequest } from '@selfsup/backend';

/** The tasks the app runs, by `--task` id. */
export const APP_TASKS = [
  'rotation',
  'jigsaw',
  'relative-location',
  'colorization',
  'inpainting',
  'denoising',
  'mae',
] as const;
export type AppTask = (typeof APP_TASKS)[number];

/** Everything the pipeline needs, resolved (defaults filled in). */
export interface PipelineOptions {
  task: AppTask;
  /** IDX dataset directory; undefined: the embedded Fashion-MNIST subset. */
  data: string | undefined;
  /** Colour tasks: photo files or folders; undefined: the photographs of Debian's wallpaper packages. */
  photos: string[] | undefined;
  /** Pretraining epochs; undefined: the task's default (a few minutes on the embedded subset). */
  epochs: number | undefined;
  /** Source images per step; undefined: the task's default. */
  batchSize: number | undefined;
  /** Peak learning rate; undefined: the task's default. */
  learningRate: number | undefined;
  warmupEpochs: number;
  /** Jigsaw: permutations (classes). */
  permutations: number;
  /** MAE: fraction of patches masked. */
  maskRatio: number;
  /** Colorization: the paper's rebalanced classification over ab bins, or L2 regression. */
  colorizationMode: 'classification' | 'regression';
  backend: BackendRequest | undefined;
  wasmThreads: number | undefined;
  seed: number;
  out: string;
  resume: boolean;
  probeEpochs: number | undefined;
  maxSteps: number | undefined;
  quiet: boolean;
}

export const USAGE = `Usage: selfsup-vision-pretext --task <id> [options]

Pretrains an encoder on a vision pretext task — on Fashion-MNIST (the embedded subset by default),
or for colorization on real photographs — then evaluates it on Fashion-MNIST with a linear probe
and kNN beside the random-init and raw-pixel floors.

  --task <id>            ${APP_TASKS.join(' | ')} (default rotation)
  --data <dir>           IDX dataset directory (e.g. /usr/share/datasets/fashion-mnist); default: embedded subset
  --photos <paths>       colorization: comma-separated photo files or folders
                         (default: the photographs of Debian's mate-backgrounds and plasma-workspace-wallpapers)
  --epochs <n>           pretraining epochs (default: per task, a few minutes on the embedded subset)
  --batch-size <n>       source images per step (default: per task)
  --lr <x>               peak learning rate (default: per task)
  --warmup-epochs <n>    linear warmup before cosine decay (default 1)
  --permutations <n>     jigsaw: permutation set size, the classes (default 100)
  --mask-ratio <x>       mae: fraction of patches masked (default 0.75)
  --colorization-mode <m> classification | regression (default classification)
  --backend <name>       ${BACKEND_REQUESTS.join(' | ')} (default: SELFSUP_BACKEND or auto)
  --wasm-threads <n>     threads for the wasm backend (default 1)
  --seed <n>             seed of every random choice (default 0)
  --out <dir>            run directory: checkpoints, metrics.jsonl, encoder/, report.html (default runs/<task>)
  --resume               continue from the newest checkpoint in --out
  --probe-epochs <n>     linear-probe epochs (default: 7020 Adam steps)
  --max-steps <n>        stop pretraining after n steps
  --quiet                no progress output
  --help                 this text
`;

function positiveNumber(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || (integer && !Number.isInteger(number))) {
    throw new Error(`--${name}: expected a positive ${integer ? 'integer' : 'number'}, got '${value}'`);
  }
  return number;
}

/**
 * Parses the app's command line.
 * @throws an Error whose message names the flag and what is allowed (the caller prints it with the usage and exits 2).
 */
export function parsePipelineOptions(argv: string[]): PipelineOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      task: { type: 'string' },
      data: { type: 'string' },
      photos: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      lr: { type: 'string' },
      'warmup-epochs': { type: 'string' },
      permutations: { type: 'string' },
      'mask-ratio': { type: 'string' },
      'colorization-mode': { type: 'string' },
      backend: { type: 'string' },
      'wasm-threads': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      resume: { type: 'boolean' },
      'probe-epochs': { type: 'string' },
      'max-steps': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const task = (values.task ?? 'rotation') as AppTask;
  if (!APP_TASKS.includes(task)) throw new Error(`--task: '${task}' is not a task; known: ${APP_TASKS.join(', ')}`);
  const backend = values.backend as BackendRequest | undefined;
  if (backend !== undefined && !BACKEND_REQUESTS.includes(backend))
    throw new Error(`--backend: '${backend}' is not a backend; known: ${BACKEND_REQUESTS.join(', ')}`);
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed: expected an integer, got '${values.seed}'`);
  const warmup = values['warmup-epochs'] === undefined ? 1 : Number(values['warmup-epochs']);
  if (!(warmup >= 0)) throw new Error(`--warmup-epochs: expected a number ≥ 0, got '${values['warmup-epochs']}'`);
  const maskRatio = values['mask-ratio'] === undefined ? 0.75 : Number(values['mask-ratio']);
  if (!(maskRatio >= 0 && maskRatio < 1))
    throw new Error(`--mask-ratio: expected a number in [0, 1), got '${values['mask-ratio']}'`);
  const colorizationMode = (values['colorization-mode'] ?? 'classification') as PipelineOptions['colorizationMode'];
  if (colorizationMode !== 'classification' && colorizationMode !== 'regression')
    throw new Error(`--colorization-mode: expected classification or regression, got '${colorizationMode}'`);
  const photos = values.photos
    ?.split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (photos !== undefined && photos.length === 0) throw new Error('--photos: expected one or more paths');
  return {
    task,
    data: values.data,
    photos,
    epochs: positiveNumber('epochs', values.epochs, true),
    batchSize: positiveNumber('batch-size', values['batch-size'], true),
    learningRate: positiveNumber('lr', values.lr, false),
    warmupEpochs: warmup,
    permutations: positiveNumber('permutations', values.permutations, true) ?? 100,
    maskRatio,
    colorizationMode,
    backend,
    wasmThreads: positiveNumber('wasm-threads', values['wasm-threads'], true),
    seed,
    out: values.out ?? `runs/${task}`,
    resume: values.resume ?? false,
    probeEpochs: positiveNumber('probe-epochs', values['probe-epochs'], true),
    maxSteps: positiveNumber('max-steps', values['max-steps'], true),
    quiet: values.quiet ?? false,
  };
}
