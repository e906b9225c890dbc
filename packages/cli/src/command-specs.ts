/** A flag of a command: its parse type, what it stands for, and the config field it sets. */
export interface FlagSpec {
  name: string;
  /** `string` flags take a value (`--epochs 20`); `boolean` flags do not. */
  type: 'string' | 'boolean';
  /** Placeholder of the value in help texts (`<n>`, `<dir>`). */
  value?: string;
  /** May be given several times (`--plugin a.ts --plugin b.ts`). */
  multiple?: boolean;
  description: string;
  /** The config field the flag sets, for the reference (`training.epochs`). */
  configPath?: string;
}

/** A subcommand: usage line, summary, flags. */
export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  flags: FlagSpec[];
}

const json: FlagSpec = {
  name: 'json',
  type: 'boolean',
  description: 'print one JSON document on stdout (logs and progress stay on stderr)',
};
const quiet: FlagSpec = { name: 'quiet', type: 'boolean', description: 'no progress output' };
const plugin: FlagSpec = {
  name: 'plugin',
  type: 'string',
  value: '<module>',
  multiple: true,
  description: 'load a plugin (a .ts/.js file or a package) that registers tasks, losses, augmentations, methods',
  configPath: 'plugins',
};
const trustPlugins: FlagSpec = {
  name: 'trust-plugins',
  type: 'boolean',
  description:
    "run the plugins the config file names (plugin code runs with your rights; without this flag a config's plugins run only when also named with --plugin)",
};
const backend: FlagSpec = {
  name: 'backend',
  type: 'string',
  value: '<name>',
  description: 'auto | tfjs-node-gpu | tfjs-node | tensorflow | wasm | cpu',
  configPath: 'backend.kind',
};

/** Flags that shape a run, shared by `pretrain` (and mapped onto config fields). */
const runFlags: FlagSpec[] = [
  { name: 'config', type: 'string', value: '<file>', description: 'a run config, YAML or JSON' },
  {
    name: 'data',
    type: 'string',
    value: '<dir>',
    description:
      'a folder of images, an IDX dataset directory, `embedded` (the Fashion-MNIST subset), a text corpus (.txt/.md/.jsonl file or folder) or a folder of videos',
    configPath: 'data.path',
  },
  {
    name: 'data-kind',
    type: 'string',
    value: '<kind>',
    description:
      'image-folder | idx | text-corpus | video-folder; default: what most files under --data are (the choice and the counts are logged)',
    configPath: 'data.kind',
  },
  { name: 'method', type: 'string', value: '<id>', description: 'a self-supervised method', configPath: 'method.id' },
  {
    name: 'task',
    type: 'string',
    value: '<id>',
    description: 'a pretext task instead of a method',
    configPath: 'task.id',
  },
  { name: 'loss', type: 'string', value: '<id>', description: 'the loss of method two-view', configPath: 'loss.id' },
  {
    name: 'preset',
    type: 'string',
    value: '<id>',
    description: 'augmentation preset',
    configPath: 'augmentations.preset',
  },
  { name: 'model', type: 'string', value: '<id>', description: 'encoder architecture', configPath: 'model.kind' },
  { name: 'epochs', type: 'string', value: '<n>', description: 'passes over the data', configPath: 'training.epochs' },
  {
    name: 'max-steps',
    type: 'string',
    value: '<n>',
    description: 'stop after n steps',
    configPath: 'training.maxSteps',
  },
  {
    name: 'batch-size',
    type: 'string',
    value: '<n>',
    description: 'images, token sequences or frame sequences per step',
    configPath: 'data.batchSize',
  },
  {
    name: 'size',
    type: 'string',
    value: '<h>x<w>',
    description: 'image or video frame size, e.g. 32 or 64x48',
    configPath: 'data.size',
  },
  { name: 'channels', type: 'string', value: '<1|3>', description: 'grayscale or RGB', configPath: 'data.channels' },
  { name: 'lr', type: 'string', value: '<x>', description: 'peak learning rate', configPath: 'schedule.learningRate' },
  {
    name: 'optimizer',
    type: 'string',
    value: '<kind>',
    description: 'adam | adamw | sgd | lars',
    configPath: 'optimizer.kind',
  },
  {
    name: 'labels',
    type: 'string',
    value: '<path>',
    description:
      'labeled data for the evaluation: images (also for a video run’s frame encoder) or, for text, labeled text',
    configPath: 'evaluation.labels',
  },
  { name: 'seed', type: 'string', value: '<n>', description: 'seed of every random choice', configPath: 'seed' },
  {
    name: 'strict-data',
    type: 'boolean',
    description:
      'stop at the first unreadable data file (an image or video that cannot be decoded, a text file that is not UTF-8) instead of leaving it out and listing it in the report',
    configPath: 'data.onError',
  },
  backend,
  { name: 'out', type: 'string', value: '<dir>', description: 'run directory', configPath: 'out' },
  plugin,
  trustPlugins,
  {
    name: 'set',
    type: 'string',
    value: '<path>=<value>',
    multiple: true,
    description: 'set any config field, e.g. --set method.options.temperature=0.2 (values parse as JSON when they can)',
  },
  {
    name: 'dry-run',
    type: 'boolean',
    description: 'validate, load the data, build the model and check one step; no training',
  },
  json,
  quiet,
];

/** Every subcommand of `selfsup`, the single source of the parser, `--help` and the reference. */
export const COMMANDS: CommandSpec[] = [
  {
    name: 'pretrain',
    usage: 'selfsup pretrain (--config run.yaml | --data <dir>) [flags]',
    summary: 'pretrain an encoder self-supervised; writes checkpoints, metrics, the encoder, a report',
    flags: runFlags,
  },
  {
    name: 'resume',
    usage: 'selfsup resume <run-dir> [flags]',
    summary: 'continue an interrupted run from its newest checkpoint (same config, same loss curve)',
    flags: [
      {
        name: 'max-steps',
        type: 'string',
        value: '<n>',
        description: 'stop after n steps in all',
        configPath: 'training.maxSteps',
      },
      {
        name: 'plugin',
        type: 'string',
        value: '<module>',
        multiple: true,
        description:
          "confirm a plugin the run was trained with: its code runs again (the run's plugins never run unconfirmed)",
      },
      {
        name: 'trust-plugins',
        type: 'boolean',
        description: 'run every plugin the run records without naming each',
      },
      backend,
      json,
      quiet,
    ],
  },
  {
    name: 'eval',
    usage: 'selfsup eval --checkpoint <run|checkpoint|encoder> --labels <path> [flags]',
    summary:
      'linear probe and kNN on frozen features, beside the random-init and raw-pixel (text: bag-of-words) floors',
    flags: [
      {
        name: 'checkpoint',
        type: 'string',
        value: '<path>',
        description: 'a run directory, a checkpoint (step-…) or an exported encoder',
      },
      {
        name: 'labels',
        type: 'string',
        value: '<path>',
        description:
          'labeled images (class sub-folders, a CSV of path,label, or an IDX directory); for a text encoder, labeled text (class sub-folders of .txt/.md/.jsonl files, or a .jsonl of {text, label})',
      },
      {
        name: 'test-labels',
        type: 'string',
        value: '<path>',
        description: 'held-out labeled data (default: a seeded split of --labels)',
      },
      {
        name: 'tokenizer',
        type: 'string',
        value: '<file>',
        description: 'text encoders: the tokenizer.json (default: the run’s, or the one exported beside the encoder)',
      },
      {
        name: 'sequence-length',
        type: 'string',
        value: '<n>',
        description: 'text encoders: tokens per sequence (default: the run’s data.sequenceLength)',
      },
      {
        name: 'test-fraction',
        type: 'string',
        value: '<x>',
        description: 'share held out when there is no --test-labels (default 0.2)',
      },
      {
        name: 'probe-epochs',
        type: 'string',
        value: '<n>',
        description: 'linear-probe epochs (default: 7020 Adam steps)',
      },
      { name: 'knn-k', type: 'string', value: '<n>', description: 'neighbours of the kNN classifier (default 200)' },
      {
        name: 'seeds',
        type: 'string',
        value: '<n>',
        description: 'linear probes per row, seeds --seed, --seed + 1, …: their mean ± std (default 1)',
      },
      {
        name: 'no-floors',
        type: 'boolean',
        description: 'skip the random-init and raw-pixel (bag-of-words) floors',
      },
      {
        name: 'check-floors',
        type: 'boolean',
        description: 'exit 7 unless the encoder beats both floors (linear probe)',
      },
      { name: 'seed', type: 'string', value: '<n>', description: 'seed of the split and the probe (default 0)' },
      backend,
      json,
      quiet,
    ],
  },
  {
    name: 'export',
    usage: 'selfsup export <run|checkpoint> [--encoder-only] [--out <dir>]',
    summary: 'write the trained modules (or just the encoder) where `loadEncoder(dir)` loads them in one call',
    flags: [
      { name: 'encoder-only', type: 'boolean', description: 'export only the encoder' },
      {
        name: 'out',
        type: 'string',
        value: '<dir>',
        description: 'destination (default <run>/export); must be new or empty',
      },
      json,
      quiet,
    ],
  },
  {
    name: 'preview',
    usage: 'selfsup preview (--preset <id> | --config run.yaml) --images <dir> --out grid.png [flags]',
    summary: 'a PNG grid: each input image, then augmented views of it',
    flags: [
      {
        name: 'preset',
        type: 'string',
        value: '<id>',
        description: 'an augmentation or view maker (`selfsup list augmentations`)',
      },
      {
        name: 'config',
        type: 'string',
        value: '<file>',
        description: 'use the augmentations (and data) of a run config',
      },
      { name: 'images', type: 'string', value: '<dir>', description: 'folder of images (default: the config’s data)' },
      { name: 'out', type: 'string', value: '<file>', description: 'PNG to write (default preview.png)' },
      { name: 'size', type: 'string', value: '<h>x<w>', description: 'image size (default 96, or the config’s)' },
      { name: 'channels', type: 'string', value: '<1|3>', description: 'grayscale or RGB (default 3)' },
      { name: 'count', type: 'string', value: '<n>', description: 'input images, one row each (default 8)' },
      { name: 'views', type: 'string', value: '<n>', description: 'calls of the augmentation per image (default 6)' },
      {
        name: 'set',
        type: 'string',
        value: '<option>=<value>',
        multiple: true,
        description: 'an option of the preset',
      },
      { name: 'seed', type: 'string', value: '<n>', description: 'seed (default 0)' },
      plugin,
      trustPlugins,
      json,
      quiet,
    ],
  },
  {
    name: 'list',
    usage: 'selfsup list [tasks|methods|losses|augmentations|models|optimizers|schedules|backends] [--json]',
    summary: 'what a config can name, with options and defaults',
    flags: [plugin, json, quiet],
  },
];

/** The spec of `name`, if it is a command. */
export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}
