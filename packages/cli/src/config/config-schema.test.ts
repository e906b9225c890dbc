import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, type Scalar, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { assignment } from '../arguments.js';
import { CliError } from '../cli-error.js';
import { createRegistries, loadBuiltinTaskMaps } from '../registries/registries.js';
import { createConfigSchema } from './config-schema.js';
import { formatIssue } from './format-issues.js';
import { loadRunConfig } from './load-config.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

/** The task packages' maps: a schema checks tasks only with them registered (`loadRunConfig` loads them as needed). */
const builtinTaskMaps = await loadBuiltinTaskMaps();

/** The problems a raw config has, as the CLI prints them. */
function problems(raw: Record<string, unknown>): string[] {
  const result = createConfigSchema(createRegistries(builtinTaskMaps)).safeParse(raw);
  if (result.success) return [];
  return result.error.issues.map((issue) => formatIssue(issue as never, raw));
}

const folder = { kind: 'image-folder', path: '/data/images' };

describe('the run config schema', () => {
  it('fills in every default and resolves the options of the entries it names', () => {
    const config = createConfigSchema(createRegistries(builtinTaskMaps)).parse({ data: folder });
    expect(config.method).toEqual({
      id: 'simclr',
      options: { temperature: 0.5, projection: { outputSize: 64, layers: 2, batchNorm: false } },
    });
    expect(config.data).toMatchObject({ size: [32, 32], channels: 3, batchSize: 64, onError: 'skip' });
    expect(config.optimizer).toEqual({ kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });
    expect(config.schedule).toEqual({
      kind: 'warmup-cosine',
      learningRate: 2e-3,
      warmupEpochs: 1,
      finalFraction: 0.01,
    });
    expect(config.model).toEqual({
      kind: 'small-cnn',
      options: { widths: [32, 64, 128, 128], strides: [1, 2, 2, 2], weightInit: 'he-normal' },
      normalization: 'auto',
    });
    const task = createConfigSchema(createRegistries(builtinTaskMaps)).parse({
      data: folder,
      task: { id: 'rotation', options: { rotations: 2 } },
    });
    expect(task.task).toEqual({ id: 'rotation', options: { rotations: 2 } });
    expect(task.method).toBeUndefined();
  });

  it('names the field path, the value given and what is allowed, for every problem at once', () => {
    expect(
      problems({
        data: { ...folder, size: [28], batchSize: 0 },
        task: { id: 'jigsw' },
        schedule: { kind: 'cosine' },
        traning: { epochs: 3 },
        optimizer: { kind: 'adam', lr: 0.1 },
        augmentations: {
          pipeline: [
            { op: 'color-jitter', brightnes: 0.4 },
            { op: 'random-grayscale', p: 2 },
          ],
        },
      }),
    ).toEqual([
      'data.size: [28] has 1 item(s); needs at least 2 item(s)',
      'data.batchSize: 0 is too small; allowed: > 0',
      "augmentations.pipeline[0]: unknown field 'brightnes' (did you mean 'brightness'?); allowed: brightness, contrast, saturation, hue, p, randomOrder",
      'augmentations.pipeline[1].p: 2 is too big; allowed: ≤ 1',
      expect.stringMatching(/^task\.id: 'jigsw' is not a task; known: .*\brotation\b/),
      "optimizer: unknown field 'lr'; allowed: kind, beta1, beta2, epsilon, weightDecay",
      "schedule.kind: 'cosine' is not allowed; allowed: warmup-cosine, constant, step",
      expect.stringMatching(/^\(config\): unknown field 'traning' \(did you mean 'training'\?\); allowed: seed, out, /),
    ]);
    expect(problems({ data: { kind: 'folder', path: 'x' } })).toEqual([
      "data.kind: 'folder' is not allowed; allowed: image-folder, idx, text-corpus, video-folder",
    ]);
    expect(problems({ data: folder, method: { id: 'simclr', options: { temperature: -1 } } })).toEqual([
      'method.options.temperature: -1 is too small; allowed: > 0',
    ]);
    expect(problems({ data: folder, task: { id: 'rotation', options: { rotations: 3 } } })).toEqual([
      'task.options: rotationTask: rotations must be 2 or 4, got 3',
    ]);
    expect(problems({ data: folder, task: { id: 'rotation', options: { angles: 4 } } })).toEqual([
      "task.options.angles: unknown option of task 'rotation'; allowed: rotations",
    ]);
    expect(problems({ data: folder, training: { epochs: 'ten' } })).toEqual(["training.epochs: 'ten' is not a number"]);
  });

  it('checks what depends on several sections: loss, views, evaluation, schedule', () => {
    expect(problems({ data: folder, method: { id: 'simclr' }, loss: { id: 'vicreg' } })).toEqual([
      "loss: method 'simclr' has its own loss; a configurable loss needs method 'two-view'",
    ]);
    expect(problems({ data: folder, method: { id: 'simclr' }, augmentations: { preset: 'dino' } })).toEqual([
      "augmentations.preset: 'dino' makes 10 views; method 'simclr' trains on 2",
    ]);
    // A multi-crop method takes its global views and any number of local ones.
    expect(problems({ data: folder, method: { id: 'dino' }, augmentations: { preset: 'dino' } })).toEqual([]);
    expect(
      problems({ data: folder, method: { id: 'dino' }, augmentations: { preset: 'dino', options: { localCrops: 0 } } }),
    ).toEqual([]);
    expect(
      problems({
        data: folder,
        method: { id: 'dino' },
        augmentations: { pipeline: [{ op: 'horizontal-flip' }], views: 1 },
      }),
    ).toEqual(["augmentations.views: method 'dino' trains on 2 or more views"]);
    expect(problems({ data: folder, task: { id: 'rotation' }, augmentations: { pipeline: [{ op: 'byol' }] } })).toEqual(
      ["augmentations.pipeline[0].op: 'byol' makes several views; use it as `preset`, not inside a pipeline"],
    );
    expect(problems({ data: folder, evaluation: { enabled: true } })).toEqual([
      'evaluation.labels: missing; evaluating needs labeled images (a class-per-folder directory, a CSV or an IDX directory)',
    ]);
    expect(
      problems({ data: folder, training: { epochs: 2 }, schedule: { kind: 'warmup-cosine', warmupEpochs: 5 } }),
    ).toEqual(['schedule.warmupEpochs: 5 is longer than the run (training.epochs 2)']);
    expect(problems({ data: folder, method: { id: 'simclr' }, task: { id: 'rotation' } })).toEqual([
      'task: set either `method` or `task`, not both',
    ]);
    const twoView = createConfigSchema(createRegistries(builtinTaskMaps)).parse({
      data: folder,
      method: { id: 'two-view' },
    });
    expect(twoView.loss).toEqual({ id: 'nt-xent', options: { temperature: 0.5 } });
  });

  it('fills in and checks what a text task needs from the corpus, naming the field', () => {
    const corpus = { kind: 'text-corpus', path: '/data/corpus.txt' };
    const t5 = createConfigSchema(createRegistries(builtinTaskMaps)).parse({
      data: corpus,
      task: { id: 't5-span-corruption' },
    });
    expect(t5.model.kind).toBe('text-encoder-decoder');
    expect(t5.data).toMatchObject({ sequenceLength: 128, tokenizer: { model: 'wordpiece', sentinels: 100 } });
    const skipGram = createConfigSchema(createRegistries(builtinTaskMaps)).parse({
      data: corpus,
      task: { id: 'skip-gram' },
    });
    expect(skipGram.model).toMatchObject({ kind: 'word2vec', options: { dim: 100 } });
    expect(skipGram.task?.options).toEqual({
      window: 5,
      negatives: 5,
      subsampleThreshold: 1e-3,
      noisePower: 0.75,
      maxExamples: 8192,
    });
    expect(skipGram.data).toMatchObject({ tokenizer: { sentinels: 0 } });
    expect(problems({ data: corpus, task: { id: 'skip-gram', options: { vocabulary: 1, counts: [1] } } })).toEqual([
      'task.options.vocabulary: is set by the run from the corpus’s tokenizer (see data.tokenizer)',
      'task.options.counts: is set by the run: token counts over the corpus',
    ]);
    expect(problems({ data: corpus, task: { id: 'skip-gram' }, model: { kind: 'text-transformer' } })).toEqual([
      "model.kind: 'text-transformer' cannot train task 'skip-gram'; it trains 'word2vec'",
    ]);
    expect(
      problems({
        data: { ...corpus, sequenceLength: 12 },
        task: { id: 'sentence-permutation', options: { sentences: 3 } },
      }),
    ).toEqual([
      "data.sequenceLength: 12 leaves 2 tokens per segment for the 3 segments of task 'sentence-permutation' (3 × length + 4 special tokens); give at least 16",
    ]);
    expect(
      problems({
        data: { ...corpus, tokenizer: { vocabSize: 100 } },
        task: { id: 't5-span-corruption' },
      }),
    ).toEqual([
      'data.tokenizer.vocabSize: 100 leaves too few word tokens beside 100 sentinels and 5 special tokens; give at least 164',
    ]);
    expect(problems({ data: corpus, task: { id: 'bert-mlm' }, evaluation: { enabled: true } })).toEqual([
      'evaluation.labels: missing; a text run is probed on labeled text (class sub-folders of .txt/.md/.jsonl files, or a .jsonl of {text, label})',
    ]);
  });

  it('takes a video folder’s clip settings: frames, fps, clips per video', () => {
    const videos = { kind: 'video-folder', path: '/data/videos', fps: 4, clipsPerVideo: 3 };
    const config = createConfigSchema(createRegistries(builtinTaskMaps)).parse({
      data: videos,
      task: { id: 'clip-order' },
    });
    expect(config.data).toMatchObject({ frames: 8, fps: 4, clipsPerVideo: 3, size: [32, 32], concurrency: 2 });
    expect(config.model.kind).toBe('small-cnn');
    expect(problems({ data: { ...videos, fps: 0, clipsPerVideo: 0 }, task: { id: 'clip-order' } })).toEqual([
      'data.fps: 0 is too small; allowed: > 0',
      'data.clipsPerVideo: 0 is too small; allowed: > 0',
    ]);
  });

  it('takes entries registered after the built-ins, through the same registries (what plugins do)', () => {
    const registries = createRegistries();
    registries.losses.register({
      'mean-squared': {
        description: 'mean squared distance between the views',
        options: z.strictObject({ scale: z.number().positive().default(1) }),
        create: (options) => (z1, z2) =>
          tf.mul(tf.mean(tf.squaredDifference(z1, z2)), options.scale as number) as Scalar,
      },
    });
    const schema = createConfigSchema(registries);
    expect(schema.parse({ data: folder, method: { id: 'two-view' }, loss: { id: 'mean-squared' } }).loss).toEqual({
      id: 'mean-squared',
      options: { scale: 1 },
    });
    expect(() => registries.losses.register({ 'nt-xent': registries.losses.get('nt-xent') })).toThrow(
      "loss 'nt-xent' is registered twice",
    );
    expect(() => registries.losses.get('nt-xnet')).toThrow(
      "'nt-xnet' is not a loss; known: barlow-twins, mean-squared, nt-xent, vicreg",
    );
  });
});

describe('loadRunConfig', () => {
  it('reads YAML, resolves paths from the config file, applies flags over it, and reports syntax errors with a line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfsup-config-'));
    writeFileSync(join(dir, 'run.yaml'), 'data: ./images\nmethod: byol\ntraining: { epochs: 3 }\nout: runs/a\n');
    const { config } = await loadRunConfig({
      file: join(dir, 'run.yaml'),
      overrides: [{ path: ['training', 'epochs'], value: 7 }],
      registries: createRegistries(),
      cwd: '/somewhere/else',
    });
    expect(config.data).toMatchObject({ kind: 'image-folder', path: join(dir, 'images') });
    expect(config.out).toBe(join(dir, 'runs/a'));
    expect(config.training.epochs).toBe(7);
    expect(config.method?.id).toBe('byol');

    writeFileSync(join(dir, 'broken.yaml'), 'data:\n  path: ./images\n   size: [32, 32]\n');
    const error = await loadRunConfig({ file: join(dir, 'broken.yaml'), registries: createRegistries() }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(CliError);
    expect(error.exitCode).toBe(3);
    expect(error.issues[0]).toMatch(/broken\.yaml:\d+:\d+: /);
    // A text run from a config file: the corpus and the tokenizer are found from the file's folder.
    writeFileSync(
      join(dir, 'text.yaml'),
      'data: { path: ./corpus.txt, tokenizer: { path: ./tokenizer.json }, sequenceLength: 64 }\ntask: whole-word-mlm\n',
    );
    const text = await loadRunConfig({ file: join(dir, 'text.yaml'), registries: createRegistries() });
    expect(text.config.data).toMatchObject({
      kind: 'text-corpus',
      path: join(dir, 'corpus.txt'),
      tokenizer: { path: join(dir, 'tokenizer.json') },
      sequenceLength: 64,
    });
    expect(text.config.model.kind).toBe('text-transformer');
    const missing = await loadRunConfig({ file: join(dir, 'none.yaml'), registries: createRegistries() }).catch(
      (e) => e,
    );
    expect(missing.message).toMatch(/none\.yaml: file not found/);
  });

  it('names a non-finite number as it was written (.nan, .inf, 1e999), in a YAML file or --set, not as null', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfsup-config-'));
    writeFileSync(
      join(dir, 'run.yaml'),
      'data: ./images\nschedule: { learningRate: .nan }\noptimizer: { weightDecay: 1e999 }\nmodel: { normalization: { mean: [0.5], std: [-.inf] } }\n',
    );
    const registries = createRegistries();
    const error = await loadRunConfig({ file: join(dir, 'run.yaml'), registries }).catch((e) => e);
    expect(error.issues).toEqual([
      'model.normalization: {"mean":[0.5],"std":[-.inf]} matches none of the allowed forms (Invalid input)',
      'optimizer.weightDecay: .inf is not a finite number (a number beyond ±1.8e308, such as 1e999, is infinite)',
      'schedule.learningRate: .nan is not a finite number',
    ]);
    // `--set` reads YAML's spellings and JSON's numbers (1e999 overflows as in a file).
    const overrides = ['data=/data/images', 'schedule.learningRate=.nan', 'training.gradientClipNorm=1e999'].map(
      (text) => assignment('set', text),
    );
    const flags = await loadRunConfig({ overrides, registries }).catch((e) => e);
    expect(flags.issues).toEqual([
      'schedule.learningRate: .nan is not a finite number',
      'training.gradientClipNorm: .inf is not a finite number (a number beyond ±1.8e308, such as 1e999, is infinite)',
    ]);
    expect(assignment('set', 'a=-.inf').value).toBe(Number.NEGATIVE_INFINITY);
    expect(assignment('set', 'a=.nan-ish').value).toBe('.nan-ish');
  });

  it('merges a partial override into its section; a new kind replaces the section, validated against that kind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfsup-config-'));
    const registries = createRegistries();
    const learningRate = { path: ['schedule', 'learningRate'], value: 0.01 };
    // `--set schedule.learningRate=0.01` (or `--lr 0.01`) alone: the default kind and its other defaults.
    const alone = await loadRunConfig({
      overrides: [{ path: ['data'], value: '/data/images' }, learningRate],
      registries,
    });
    expect(alone.config.schedule).toEqual({
      kind: 'warmup-cosine',
      learningRate: 0.01,
      warmupEpochs: 1,
      finalFraction: 0.01,
    });
    writeFileSync(
      join(dir, 'run.yaml'),
      'data: ./images\nschedule: { warmupEpochs: 2 }\noptimizer: { weightDecay: 0.1 }\ntraining: { epochs: 4 }\n',
    );
    const file = join(dir, 'run.yaml');
    // A partial section in a file merges with the defaults; a flag merges into the file's section.
    const merged = await loadRunConfig({ file, overrides: [learningRate], registries });
    expect(merged.config.schedule).toEqual({
      kind: 'warmup-cosine',
      learningRate: 0.01,
      warmupEpochs: 2,
      finalFraction: 0.01,
    });
    expect(merged.config.optimizer).toMatchObject({ kind: 'adam', weightDecay: 0.1, beta1: 0.9 });
    // The same kind again (the default one, which the file's section left out) keeps the section.
    const same = await loadRunConfig({
      file,
      overrides: [{ path: ['schedule', 'kind'], value: 'warmup-cosine' }],
      registries,
    });
    expect(same.config.schedule).toMatchObject({ warmupEpochs: 2 });
    // Another kind replaces it: warmupEpochs belongs to warmup-cosine, not to constant.
    const constant = await loadRunConfig({
      file,
      overrides: [{ path: ['schedule', 'kind'], value: 'constant' }, learningRate],
      registries,
    });
    expect(constant.config.schedule).toEqual({ kind: 'constant', learningRate: 0.01 });
    // A flag given before the new kind (`--lr 0.01 --set schedule.kind=constant`: flags come first)
    // stays; only what the file's section held is dropped.
    const flagFirst = await loadRunConfig({
      file,
      overrides: [learningRate, { path: ['schedule', 'kind'], value: 'constant' }],
      registries,
    });
    expect(flagFirst.config.schedule).toEqual({ kind: 'constant', learningRate: 0.01 });
    const wrong = await loadRunConfig({
      file,
      overrides: [
        { path: ['schedule', 'kind'], value: 'step' },
        { path: ['schedule', 'warmupEpochs'], value: 1 },
      ],
      registries,
    }).catch((error) => error);
    expect(wrong.issues).toEqual([
      "schedule: unknown field 'warmupEpochs'; allowed: kind, learningRate, milestoneEpochs, gamma",
    ]);
  });
});
