import { BACKEND_REQUESTS } from '@selfsup/backend/requests';
import { imageSize, positiveInteger, section } from '@selfsup/pretext/option-schemas';
import { optimizerOptions, scheduleOptions } from '@selfsup/trainer/declarations';
import { z } from 'zod';

/** Free-form options of a registered entry (validated by the entry's own schema). */
const entryOptions = () =>
  z
    .record(z.string(), z.unknown())
    .prefault({})
    .describe("the entry's options (see its table below); unknown options are rejected");

const entryRef = (what: string, plural: string) =>
  section({
    id: z.string().min(1).describe(`a registered ${what} id (\`selfsup list ${plural}\`)`),
    options: entryOptions(),
  });

/** A reference to a registered entry: its id and options. */
export type EntryReference = z.output<ReturnType<typeof entryRef>>;

const imageFolderData = section({
  kind: z.literal('image-folder').describe('a folder of images (JPEG, PNG, WebP, GIF, TIFF, AVIF), unlabeled'),
  path: z.string().min(1).describe('the folder; relative paths start at the config file'),
  size: imageSize().prefault([32, 32]).describe('every image is resized and center-cropped to [height, width]'),
  channels: z.literal([1, 3]).default(3).describe('1 (grayscale) or 3 (RGB)'),
  batchSize: positiveInteger().default(64).describe('images per optimizer step'),
  recursive: z.boolean().default(true).describe('include sub-folders'),
  onError: z
    .enum(['skip', 'throw'])
    .default('skip')
    .describe('unreadable files: `skip` leaves them out and lists them in the run report; `throw` stops'),
  limit: positiveInteger().optional().describe('use only the first N readable images (sorted by path)'),
  fit: z.enum(['cover', 'contain']).default('cover').describe('`cover` crops to the size, `contain` pads'),
});

const idxData = section({
  kind: z.literal('idx').describe('an MNIST-layout IDX dataset (train + t10k files, labels included)'),
  path: z
    .string()
    .min(1)
    .optional()
    .describe('directory with train-images-idx3-ubyte[.gz] etc.; left out: the embedded Fashion-MNIST subset'),
  batchSize: positiveInteger().default(256).describe('images per optimizer step'),
  limit: positiveInteger().optional().describe('use only the first N training images'),
});

const textCorpusData = section({
  kind: z
    .literal('text-corpus')
    .describe(
      'unlabeled text: a .txt/.md file (one sentence per line, blank lines between documents), a .jsonl file, or a folder of them',
    ),
  path: z.string().min(1).describe('the corpus file or folder; relative paths start at the config file'),
  documents: z
    .enum(['blank-line', 'file'])
    .default('blank-line')
    .describe('text files: a blank line starts a new document (`blank-line`), or each file is one (`file`)'),
  field: z.string().min(1).default('text').describe('JSON Lines: the field holding the text'),
  onError: z
    .enum(['skip', 'throw'])
    .default('skip')
    .describe(
      'files that are not UTF-8 or cannot be read: `skip` leaves them out and lists them in the run report; `throw` stops',
    ),
  tokenizer: section({
    path: z
      .string()
      .min(1)
      .optional()
      .describe('a saved tokenizer.json to use as is; left out: a tokenizer is trained on the corpus'),
    model: z.enum(['wordpiece', 'bpe']).default('wordpiece').describe('the tokenizer trained on the corpus'),
    vocabSize: positiveInteger()
      .min(64)
      .max(30000)
      .default(8192)
      .describe('its vocabulary size, special tokens and sentinels included'),
    sentinels: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('T5 sentinel tokens (`<extra_id_0>`, …) it gets; default 100 for `t5-span-corruption`, else 0'),
  })
    .prefault({})
    .describe('how text becomes token ids; the tokenizer is saved in the run (tokenizer.json) and reused on resume'),
  sequenceLength: positiveInteger()
    .min(8)
    .default(128)
    .describe(
      'tokens per encoder input, [CLS] and [SEP] included: sentences are packed into sequences of this length, never across documents (sentence-order tasks fit their segments into it)',
    ),
  batchSize: positiveInteger().default(32).describe('samples (token sequences) per optimizer step'),
  limit: positiveInteger().optional().describe('use only the first N documents'),
});

const videoFolderData = section({
  kind: z
    .literal('video-folder')
    .describe('a folder of videos (mp4, webm, mkv, mov, avi, …), unlabeled; frames decoded by ffmpeg'),
  path: z.string().min(1).describe('the folder; relative paths start at the config file'),
  frames: positiveInteger()
    .min(2)
    .default(8)
    .describe('frames per sequence (the clip length): evenly spaced over each video, or `fps` apart'),
  fps: z
    .number()
    .positive()
    .optional()
    .describe(
      'take a sequence’s frames at this rate (every round(video fps / fps)-th frame): clips of (frames − 1) / fps seconds; left out: spread over the whole video (or its part, with `clipsPerVideo`)',
    ),
  clipsPerVideo: positiveInteger()
    .default(1)
    .describe(
      'sequences per video: with `fps`, clips evenly spaced over the video; without, the video cut into this many equal parts, frames spread over each',
    ),
  size: imageSize().prefault([32, 32]).describe('every frame is resized to [height, width]'),
  channels: z.literal([1, 3]).default(3).describe('1 (grayscale) or 3 (RGB)'),
  batchSize: positiveInteger().default(16).describe('frame sequences per optimizer step'),
  recursive: z.boolean().default(true).describe('include sub-folders'),
  onError: z
    .enum(['skip', 'throw'])
    .default('skip')
    .describe('unreadable or too short videos: `skip` leaves them out and lists them in the run report; `throw` stops'),
  limit: positiveInteger().optional().describe('use only the first N videos (sorted by path)'),
  concurrency: positiveInteger().default(2).describe('videos decoded at once (one ffmpeg process each)'),
});

const augmentationsSection = section({
  preset: z
    .string()
    .min(1)
    .optional()
    .describe('a registered augmentation or view maker (`simclr`, `byol`, …); left out: the method’s paper recipe'),
  options: entryOptions(),
  pipeline: z
    .array(z.looseObject({ op: z.string().min(1) }))
    .min(1)
    .optional()
    .describe('instead of a preset: ops applied in order, each `{ op: <id>, …options }`'),
  views: positiveInteger().optional().describe('views per image (default: what the method trains on)'),
});

const modelSection = section({
  kind: z
    .string()
    .min(1)
    .optional()
    .describe(
      'a registered encoder (`selfsup list models`); default `small-cnn` for images and for the frames of videos, for text the one the task trains (`text-transformer`, `text-encoder-decoder` for T5, `word2vec` for skip-gram and CBOW)',
    ),
  options: entryOptions(),
  normalization: z
    .union([
      z.enum(['auto', 'none', 'fashion-mnist', 'cifar10']),
      section({ mean: z.array(z.number()).min(1), std: z.array(z.number().positive()).min(1) }),
    ])
    .default('auto')
    .describe(
      'input standardization: `auto` measures per-channel mean and std on the training images; or `{ mean, std }`',
    ),
});

const training = section({
  epochs: positiveInteger().default(10).describe('passes over the data'),
  maxSteps: positiveInteger()
    .optional()
    .describe('stop after this many steps (the schedule still plans for every epoch)'),
  gradientClipNorm: z.number().positive().optional().describe('clip gradients to this global L2 norm'),
  metricsEverySteps: positiveInteger().default(10).describe('log the objective’s metrics every N steps'),
});

const evaluation = section({
  enabled: z.boolean().optional().describe('default: on when labels are available (IDX data or `labels`)'),
  labels: z
    .string()
    .min(1)
    .optional()
    .describe(
      'labeled images: a folder with one sub-folder per class, a CSV of `path,label`, or an IDX directory (video runs: the frame encoder is probed on them); text runs: labeled text, one sub-folder of .txt/.md/.jsonl files per class or a .jsonl of `{ text, label }`',
    ),
  testLabels: z.string().min(1).optional().describe('held-out labeled images; left out: a seeded split of `labels`'),
  testFraction: z.number().gt(0).lt(1).default(0.2).describe('share of `labels` held out when no `testLabels`'),
  probeEpochs: positiveInteger().optional().describe('linear-probe epochs; default: a fixed budget of 7020 Adam steps'),
  knnK: positiveInteger().default(200).describe('neighbours of the kNN classifier'),
  seeds: positiveInteger()
    .default(1)
    .describe(
      'linear probes per row, seeds seed, seed + 1, …: each row reports their mean ± std and every seed’s accuracy',
    ),
  floors: z
    .boolean()
    .default(true)
    .describe('also evaluate the random-init encoder and the raw pixels (text: bag-of-words)'),
});

const checkpoints = section({
  everySteps: positiveInteger().default(100).describe('also checkpoint every N steps (always at epoch ends)'),
  keep: positiveInteger().default(2).describe('newest checkpoints kept'),
});

const backend = section({
  kind: z
    .enum(BACKEND_REQUESTS as unknown as [string, ...string[]])
    .default('auto')
    .describe(
      '`auto` picks tfjs-node-gpu, tfjs-node, wasm, cpu in that order (webgpu when asked for, with navigator.gpu set)',
    ),
  wasmThreads: positiveInteger().default(1).describe('threads of the wasm backend'),
});

const report = section({
  preview: z.boolean().default(true).describe('write augmentations.png (inputs and their views) into the run'),
  previewImages: positiveInteger().default(6).describe('rows of the preview'),
});

/** The settings of the augmentations section. */
export type AugmentationsSection = z.output<typeof augmentationsSection>;
/** The settings of the model section. */
export type ModelSection = z.output<typeof modelSection>;

/** Where a transform reports a problem (its path is relative to the section). */
export type SectionContext = z.core.$RefinementCtx;

/**
 * Resolves a section once it parsed: checks registry ids and replaces options with the entry's
 * validated ones (defaults filled in). Problems go to `context.issues` with paths inside the section.
 */
export interface SectionResolvers {
  method?: (value: EntryReference, context: SectionContext) => EntryReference;
  task?: (value: EntryReference, context: SectionContext) => EntryReference;
  loss?: (value: EntryReference, context: SectionContext) => EntryReference;
  augmentations?: (value: AugmentationsSection, context: SectionContext) => AugmentationsSection;
  model?: (value: ModelSection, context: SectionContext) => ModelSection;
}

function resolved<Schema extends z.ZodType, Value extends z.output<Schema>>(
  schema: Schema,
  resolver: ((value: Value, context: SectionContext) => Value) | undefined,
) {
  return resolver === undefined ? schema : schema.transform((value, context) => resolver(value as Value, context));
}

/**
 * The shape of a run config — every field, its default and its meaning — with optional resolvers
 * that check what the registries know (see `createConfigSchema`). Without resolvers it is the
 * shape the reference documentation is generated from.
 */
export function createConfigShape(resolvers: SectionResolvers = {}) {
  return section({
    seed: z.number().int().default(0).describe('seeds every random choice: same config and seed, same run'),
    out: z.string().min(1).optional().describe('run directory; default `runs/<method or task>`'),
    plugins: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'modules that register tasks, losses, augmentations or methods (paths or package names); code that runs with your rights, so only when also named with `--plugin` or with `--trust-plugins`',
      ),
    backend: backend.prefault({}).describe('what computes: the tfjs backend'),
    data: z
      .discriminatedUnion('kind', [imageFolderData, idxData, textCorpusData, videoFolderData])
      .describe(
        'what to train on; `kind` left out: decided by what most files under `path` are (images, videos or text files), and logged',
      ),
    augmentations: resolved(augmentationsSection, resolvers.augmentations)
      .optional()
      .describe('how views are made; left out: the method’s recipe'),
    method: resolved(entryRef('method', 'methods'), resolvers.method)
      .optional()
      .describe('a self-supervised method; the default when no task is set'),
    task: resolved(entryRef('task', 'tasks'), resolvers.task)
      .optional()
      .describe('a pretext task (instead of a method)'),
    loss: resolved(entryRef('loss', 'losses'), resolvers.loss)
      .optional()
      .describe('the loss of methods that take one (`two-view`)'),
    model: resolved(modelSection, resolvers.model).prefault({}).describe('the encoder being pretrained'),
    optimizer: optimizerOptions(),
    schedule: scheduleOptions(),
    training: training.prefault({}).describe('how long to train'),
    evaluation: evaluation
      .prefault({})
      .describe('linear probe and kNN on frozen features at the end, beside the random-init and raw-pixel floors'),
    checkpoints: checkpoints.prefault({}).describe('when checkpoints are written (atomically) and how many are kept'),
    report: report.prefault({}).describe('what goes into report.html besides the curves and the evaluation'),
  });
}

/** The config shape without registry checks: fields, types, ranges, defaults (for the reference). */
export const configShape = createConfigShape();

/** A config as written (defaults not yet filled in). */
export type RunConfigInput = z.input<typeof configShape>;
/** A config with every default filled in. */
export type RunConfigShape = z.output<typeof configShape>;
