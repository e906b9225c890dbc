import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, type Scalar, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CliError } from '../cli-error.js';
import { createRegistries } from '../registries/registries.js';
import { createConfigSchema } from './config-schema.js';
import { formatIssue } from './format-issues.js';
import { loadRunConfig } from './load-config.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

/** The problems a raw config has, as the CLI prints them. */
function problems(raw: Record<string, unknown>): string[] {
  const result = createConfigSchema(createRegistries()).safeParse(raw);
  if (result.success) return [];
  return result.error.issues.map((issue) => formatIssue(issue as never, raw));
}

const folder = { kind: 'image-folder', path: '/data/images' };

describe('the run config schema', () => {
  it('fills in every default and resolves the options of the entries it names', () => {
    const config = createConfigSchema(createRegistries()).parse({ data: folder });
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
    const task = createConfigSchema(createRegistries()).parse({
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
    const twoView = createConfigSchema(createRegistries()).parse({ data: folder, method: { id: 'two-view' } });
    expect(twoView.loss).toEqual({ id: 'nt-xent', options: { temperature: 0.5 } });
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
    const missing = await loadRunConfig({ file: join(dir, 'none.yaml'), registries: createRegistries() }).catch(
      (e) => e,
    );
    expect(missing.message).toMatch(/none\.yaml: file not found/);
  });
});
