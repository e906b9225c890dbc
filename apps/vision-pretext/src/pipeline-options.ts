import { parseArgs } from 'node:util';
import { BACKEND_REQUESTS, type BackendRequest } from '@selfsup/backend';
import { CHROMATIC_ABERRATION_DEFENCES, type ChromaticAberrationDefence } from '@selfsup/vision';

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

/** What a task pretrains on: the `--data` images (Fashion-MNIST), or random patches of colour photographs. */
export const PRETRAIN_DATA = ['fashion-mnist', 'photos'] as const;
export type PretrainData = (typeof PRETRAIN_DATA)[number];

/** The tasks that can pretrain on colour photographs; colorization can only. */
export const PHOTO_TASKS: readonly AppTask[] = ['jigsaw', 'relative-location', 'colorization'];

/**
 * Relative location's default defence on photographs: the paper's projection. Measured with
 * 64-px patches (docs/vision-tasks.md), it learns (17.0 % held-out, chance 12.5 %) where channel
 * dropping does not (11.0 %) in the same 30 epochs.
 */
export const RELATIVE_LOCATION_PHOTO_DEFENCE: ChromaticAberrationDefence = 'projection';

/** The default side of the photo patches that jigsaw and relative location cut tiles from. */
export const DEFAULT_PHOTO_PATCH_SIZE = 28;

/**
 * Jigsaw's defences against colour shortcuts on photographs: `grayscale-and-jitter` (the paper's:
 * 30 % of puzzles grayscale, each channel of each tile shifted by up to 1 px) or `none`.
 */
export const JIGSAW_COLOUR_DEFENCES = ['grayscale-and-jitter', 'none'] as const;
export type JigsawColourDefence = (typeof JIGSAW_COLOUR_DEFENCES)[number];

/** Everything the pipeline needs, resolved (defaults filled in). */
export interface PipelineOptions {
  task: AppTask;
  /** IDX dataset directory; undefined: the embedded Fashion-MNIST subset. */
  data: string | undefined;
  /** What the task pretrains on (colorization: always photos). */
  pretrainData: PretrainData;
  /** Photo pretraining: photo files or folders; undefined: the photographs of Debian's wallpaper packages. */
  photos: string[] | undefined;
  /**
   * Photo pretraining of jigsaw / relative location: the defence against chromatic aberration and
   * other colour shortcuts (`none`: the ablation); undefined for the other runs.
   */
  chromaticDefence: JigsawColourDefence | ChromaticAberrationDefence | undefined;
  /**
   * Photo pretraining of jigsaw / relative location: the side of the square photo patches the
   * tiles are cut from (the tiles scale with it); undefined for the other runs.
   */
  photoPatchSize: number | undefined;
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
  /** Fine-tuning evaluation: epochs (0: none), beside the random-init twin fine-tuned the same way. */
  fineTuneEpochs: number;
  /** Fine-tuning evaluation: labeled training images (a seeded subset); undefined: all. */
  fineTuneLabels: number | undefined;
  /** Fine-tuning evaluation: the encoder's Adam learning rate (the new head's is 10×). */
  fineTuneLearningRate: number;
  maxSteps: number | undefined;
  quiet: boolean;
}

export const USAGE = `Usage: selfsup-vision-pretext --task <id> [options]

Pretrains an encoder on a vision pretext task — on Fashion-MNIST (the embedded subset by default),
or on random patches of real colour photographs (colorization always; jigsaw and relative location
with --pretrain-data photos) — then evaluates it on Fashion-MNIST with a linear probe and kNN
beside the random-init and raw-pixel floors (RGB encoders: Fashion-MNIST grey replicated to RGB).

  --task <id>            ${APP_TASKS.join(' | ')} (default rotation)
  --data <dir>           IDX dataset directory (e.g. /usr/share/datasets/fashion-mnist); default: embedded subset
  --pretrain-data <d>    ${PRETRAIN_DATA.join(' | ')}: what to pretrain on (default fashion-mnist;
                         colorization: photos); photos works for ${PHOTO_TASKS.join(', ')}: an RGB
                         encoder on patches of the training photos, every 4th photo held out
  --photos <paths>       photo pretraining: comma-separated photo files or folders
                         (default: the photographs of Debian's mate-backgrounds, plasma-workspace-wallpapers,
                         lomiri-wallpapers-16.04 and lomiri-wallpapers-20.04 that are installed)
  --photo-patch-size <px> photo pretraining of jigsaw and relative location: side of the photo patches
                         the tiles are cut from, ≥ 28 (default ${DEFAULT_PHOTO_PATCH_SIZE}); tiles keep the 28-px
                         proportions: jigsaw cells of ⌊px/3⌋ and tiles of 7/9 of a cell, relative-location
                         patches of ⌊px/4⌋ with gaps of ⌊px/14⌋ and jitter of ⌊px/28⌋
  --chromatic-defence <d> photo pretraining, the colour-shortcut defence (none: the ablation);
                         jigsaw: ${JIGSAW_COLOUR_DEFENCES.join(' | ')} (default ${JIGSAW_COLOUR_DEFENCES[0]});
                         relative-location: ${CHROMATIC_ABERRATION_DEFENCES.join(' | ')} (default ${RELATIVE_LOCATION_PHOTO_DEFENCE})
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
  --fine-tune-epochs <n> also fine-tune the encoder end to end with a new linear head for n epochs,
                         beside its random-init twin fine-tuned the same way (default 0: no fine-tuning)
  --fine-tune-labels <n> fine-tuning: labeled training images, a seeded random subset (default: all)
  --fine-tune-lr <x>     fine-tuning: the encoder's Adam learning rate, the head's is 10× (default 1e-4)
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

/** Jigsaw and relative location pretrained on photos: the runs that cut tiles from photo patches. */
function cutsPhotoTiles(task: AppTask, pretrainData: PretrainData): boolean {
  return pretrainData === 'photos' && (task === 'jigsaw' || task === 'relative-location');
}

function parseChromaticDefence(
  task: AppTask,
  pretrainData: PretrainData,
  value: string | undefined,
): PipelineOptions['chromaticDefence'] {
  if (!cutsPhotoTiles(task, pretrainData)) {
    if (value === undefined) return undefined;
    throw new Error(
      `--chromatic-defence: applies to jigsaw and relative-location pretrained on photos (--pretrain-data photos); this run is ${task} on ${pretrainData}`,
    );
  }
  const known: readonly string[] = task === 'jigsaw' ? JIGSAW_COLOUR_DEFENCES : CHROMATIC_ABERRATION_DEFENCES;
  const defence = value ?? (task === 'jigsaw' ? (known[0] as string) : RELATIVE_LOCATION_PHOTO_DEFENCE);
  if (!known.includes(defence))
    throw new Error(`--chromatic-defence: '${defence}' is not a ${task} defence; known: ${known.join(', ')}`);
  return defence as PipelineOptions['chromaticDefence'];
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
      'pretrain-data': { type: 'string' },
      photos: { type: 'string' },
      'chromatic-defence': { type: 'string' },
      'photo-patch-size': { type: 'string' },
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
      'fine-tune-epochs': { type: 'string' },
      'fine-tune-labels': { type: 'string' },
      'fine-tune-lr': { type: 'string' },
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
  const pretrainData = (values['pretrain-data'] ??
    (task === 'colorization' ? 'photos' : 'fashion-mnist')) as PretrainData;
  if (!PRETRAIN_DATA.includes(pretrainData))
    throw new Error(`--pretrain-data: '${pretrainData}' is not known; known: ${PRETRAIN_DATA.join(', ')}`);
  if (pretrainData === 'photos' && !PHOTO_TASKS.includes(task))
    throw new Error(
      `--pretrain-data photos: ${task} pretrains on Fashion-MNIST only; photos work for ${PHOTO_TASKS.join(', ')}`,
    );
  if (pretrainData === 'fashion-mnist' && task === 'colorization')
    throw new Error('--pretrain-data fashion-mnist: colorization needs colour images; it pretrains on photos');
  if (photos !== undefined && pretrainData !== 'photos')
    throw new Error(
      `--photos: ${task} pretrains on Fashion-MNIST; add --pretrain-data photos to pretrain on photographs`,
    );
  const chromaticDefence = parseChromaticDefence(task, pretrainData, values['chromatic-defence']);
  const photoTiles = cutsPhotoTiles(task, pretrainData);
  const requestedPatchSize = positiveNumber('photo-patch-size', values['photo-patch-size'], true);
  if (requestedPatchSize !== undefined && !photoTiles)
    throw new Error(
      `--photo-patch-size: applies to jigsaw and relative-location pretrained on photos (--pretrain-data photos); this run is ${task} on ${pretrainData}`,
    );
  if (requestedPatchSize !== undefined && requestedPatchSize < 28)
    throw new Error(`--photo-patch-size: expected at least 28 (3 tiles and their gaps), got ${requestedPatchSize}`);
  const fineTuneEpochs =
    values['fine-tune-epochs'] === '0'
      ? 0
      : (positiveNumber('fine-tune-epochs', values['fine-tune-epochs'], true) ?? 0);
  const fineTuneLabels = positiveNumber('fine-tune-labels', values['fine-tune-labels'], true);
  const fineTuneLearningRate = positiveNumber('fine-tune-lr', values['fine-tune-lr'], false) ?? 1e-4;
  if (fineTuneEpochs === 0 && (fineTuneLabels !== undefined || values['fine-tune-lr'] !== undefined))
    throw new Error('--fine-tune-labels, --fine-tune-lr: apply to fine-tuning; add --fine-tune-epochs <n>');
  const photoPatchSize = photoTiles ? (requestedPatchSize ?? DEFAULT_PHOTO_PATCH_SIZE) : undefined;
  return {
    task,
    data: values.data,
    pretrainData,
    photos,
    chromaticDefence,
    photoPatchSize,
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
    fineTuneEpochs,
    fineTuneLabels,
    fineTuneLearningRate,
    maxSteps: positiveNumber('max-steps', values['max-steps'], true),
    quiet: values.quiet ?? false,
  };
}
