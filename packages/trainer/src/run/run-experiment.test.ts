import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@selfsup/backend';
import { type LabeledImages, labeledImageBatches, loadIdxImages, selectImages } from '@selfsup/data';
import { createSmallCnn } from '@selfsup/models';
import { rotationTask } from '@selfsup/vision';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyCheckpoint } from '../checkpoint.js';
import { evaluateEncoder, evaluateFloors } from '../evaluation/evaluate-encoder.js';
import { floorSeparationWarnings } from '../evaluation/floor-separation.js';
import { taskObjective } from '../task-objective.js';
import { ExperimentError } from './experiment-error.js';
import { type Experiment, runExperiment } from './run-experiment.js';

let train: LabeledImages;
let test: LabeledImages;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
  const all = await loadIdxImages({ split: 'train' });
  train = selectImages(
    all,
    Array.from({ length: 64 }, (_, i) => i * 31),
  );
  test = selectImages(
    all,
    Array.from({ length: 40 }, (_, i) => 3000 + i * 17),
  );
});

const freshDir = () => join(mkdtempSync(join(tmpdir(), 'selfsup-experiment-')), 'run');

/**
 * Rotation on 64 Fashion-MNIST images: 2 steps an epoch, with an evaluation beside its floors;
 * `events` records when `afterPretraining` and the evaluation ran.
 */
function rotationExperiment(
  dir: string,
  changes: Partial<Experiment> & { images?: LabeledImages; events?: string[] } = {},
): Experiment {
  const images = changes.images ?? train;
  const epochs = changes.training?.epochs ?? 3;
  return {
    dir,
    title: 'rotation test',
    objective: { kind: 'task', id: 'rotation' },
    backend: { backend: 'wasm' },
    config: { task: 'rotation', epochs, images: images.count },
    training: {
      epochs,
      optimizer: { kind: 'adam' },
      schedule: { kind: 'constant', learningRate: 1e-3 },
      seed: 1,
      checkpoint: { everySteps: 2, keep: 2 },
    },
    async prepare() {
      const encoder = createSmallCnn({ widths: [4, 8], strides: [2, 2], seed: 2 });
      const objective = taskObjective(rotationTask(), encoder, { seed: 3 });
      const options = { train, test, classes: 10, seed: 4, probeEpochs: 2, knnK: 5 };
      return {
        objective,
        encoder,
        data: labeledImageBatches(images, { batchSize: 32, seed: 5 }),
        examples: 'images',
        exampleCount: images.count,
        dataDescription: `${images.count} Fashion-MNIST images`,
        dataFingerprint: `fmnist-${images.count}`,
        evaluation: {
          description: 'linear probe and kNN',
          floors: () => evaluateFloors(encoder, options),
          evaluate: (floors) => {
            changes.events?.push('evaluate');
            return evaluateEncoder(encoder, { ...options, floors: floors ?? true });
          },
        },
        afterPretraining() {
          changes.events?.push(`afterPretraining (encoder saved: ${existsSync(join(dir, 'encoder'))})`);
        },
        dispose() {
          objective.dispose();
          encoder.dispose();
        },
      };
    },
    ...changes,
  };
}

/** Flips 4 KiB (or the whole file, when smaller) of a checkpoint's first module weights. */
function flipWeights(checkpoint: string): string {
  const module = readdirSync(join(checkpoint, 'modules')).sort()[0] as string;
  const path = join(checkpoint, 'modules', module, 'weights.bin');
  const bytes = readFileSync(path);
  for (let i = 0; i < Math.min(bytes.length, 4096); i++) bytes[i] = (bytes[i] as number) ^ 0xff;
  writeFileSync(path, bytes);
  return `modules/${module}/weights.bin`;
}

function metricLosses(dir: string): number[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { loss: number }).loss);
}

function metricSteps(dir: string): number[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { step: number }).step);
}

async function rejection(promise: Promise<unknown>): Promise<ExperimentError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExperimentError);
  return error as ExperimentError;
}

describe('runExperiment', () => {
  it('runs a whole experiment: config, record, metrics per step, encoder, evaluation beside floors, report, result line; no tensor left, lock released', async () => {
    const dir = freshDir();
    const lines: string[] = [];
    const log: string[] = [];
    const before = tf.memory().numTensors;
    const result = await runExperiment(rotationExperiment(dir), {
      quiet: true,
      log: (line) => log.push(line),
      resultLine: (line) => lines.push(line),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result).toMatchObject({ steps: 6, epochs: 3, stepsPerEpoch: 2, interrupted: false, examples: 'images' });
    expect(metricSteps(dir)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.evaluation.map((row) => row.features)).toEqual(['pretrained', 'random-init', 'raw-pixels']);
    expect(result.linearProbeAccuracy).toBeGreaterThan(0.1);
    // Every row on the same 40 test images, with 95 % intervals; 40 images cannot separate an
    // encoder trained 6 steps from its floors, and the result, the log and the report say so.
    expect(result.evaluation.map((row) => row.testCount)).toEqual([40, 40, 40]);
    const separation = floorSeparationWarnings(result.evaluation);
    expect(separation.length).toBeGreaterThan(0);
    expect(result.warnings).toEqual(separation);
    for (const warning of separation) expect(log).toContain(`warning: ${warning}`);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<ul class="separation">');
    // The floors ran before pretraining.
    const floorsAt = log.findIndex((line) => line.startsWith('evaluating the floors first'));
    const pretrainedAt = log.findIndex((line) => line.startsWith('pretrained 6 steps'));
    expect(floorsAt).toBeGreaterThanOrEqual(0);
    expect(floorsAt).toBeLessThan(pretrainedAt);
    expect(JSON.parse(lines[0] as string)).toEqual(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')));
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({
      task: 'rotation',
      epochs: 3,
      images: 64,
    });
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ format: 'selfsup-run', state: 'finished', stepsPerEpoch: 2, resumed: [] });
    expect(record.data).toEqual({
      description: '64 Fashion-MNIST images',
      examples: 'images',
      count: 64,
      fingerprint: 'fmnist-64',
    });
    expect(existsSync(join(dir, 'encoder', 'model.json'))).toBe(true);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('rotation test');
    expect(existsSync(join(dir, 'run.lock'))).toBe(false);

    // A new run never lands on a finished one.
    const again = await rejection(runExperiment(rotationExperiment(dir, { resumeHint: '--resume' }), { quiet: true }));
    expect(again.reason).toBe('run');
    expect(again.message).toMatch(/already holds a finished run \(.*result\.json\); choose another output directory$/);
  });

  it('refuses a non-empty folder that is not a run, and leaves it as it was', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, 'holiday.jpg'), 'not mine');
    const error = await rejection(runExperiment(rotationExperiment(dir), { quiet: true }));
    expect(error.reason).toBe('run');
    expect(error.message).toContain('is not empty and holds no selfsup run (holiday.jpg)');
    expect(readdirSync(dir)).toEqual(['holiday.jpg']);
    expect(readFileSync(join(dir, 'holiday.jpg'), 'utf8')).toBe('not mine');
  });

  it('locks the directory: a second run on it stops while the first trains; a lock left by a dead process is taken over', async () => {
    const dir = freshDir();
    let second: Promise<unknown> | undefined;
    await runExperiment(rotationExperiment(dir, { training: { ...rotationExperiment(dir).training, epochs: 1 } }), {
      quiet: true,
      callbacks: [
        {
          onStepEnd: (record) => {
            // Caught at once: the rejection is checked after the first run ends.
            if (record.step === 1) second = runExperiment(rotationExperiment(dir), { quiet: true }).catch((e) => e);
          },
        },
      ],
    });
    const error = (await second) as ExperimentError;
    expect(error).toBeInstanceOf(ExperimentError);
    expect(error.reason).toBe('run');
    expect(error.message).toMatch(
      new RegExp(`is in use by another run \\(process ${process.pid} on ${hostname()} \\(this machine\\), since `),
    );

    // A process that has exited leaves its lock behind (as after kill -9).
    const other = freshDir();
    mkdirSync(other);
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const lock = { pid: Number(gone.stdout), host: hostname(), since: '2026-01-01T00:00:00.000Z' };
    writeFileSync(join(other, 'run.lock'), JSON.stringify(lock));
    writeFileSync(
      join(other, 'run.json'),
      JSON.stringify({ format: 'selfsup-run', started: lock.since, resumed: [], state: 'preparing' }),
    );
    const result = await runExperiment(rotationExperiment(other), { quiet: true });
    expect(result.steps).toBe(6);
    expect(existsSync(join(other, 'run.lock'))).toBe(false);
  });

  it('resumes with an exact metrics log; refuses other settings, other data, and a resume with nothing to resume', async () => {
    const dir = freshDir();
    const stop = new AbortController();
    const events: string[] = [];
    const first = await runExperiment(rotationExperiment(dir, { events }), {
      quiet: true,
      signal: stop.signal,
      callbacks: [{ onStepEnd: (record) => record.step === 3 && stop.abort() }],
    });
    expect(first).toMatchObject({ interrupted: true, steps: 3, encoderPath: null });
    expect(events).toEqual([]);
    // As if the process had died after logging steps 4 and 5 past its checkpoint (step 3), the
    // last line cut short.
    const metrics = join(dir, 'metrics.jsonl');
    writeFileSync(metrics, `${readFileSync(metrics, 'utf8')}{"step":4,"loss":1}\n{"step":5,"lo`);

    const otherSettings = await rejection(
      runExperiment(rotationExperiment(dir, { resume: true, config: { task: 'rotation', epochs: 5, images: 64 } }), {
        quiet: true,
      }),
    );
    expect(otherSettings.reason).toBe('run');
    expect(otherSettings.message).toContain('epochs (3 in the run, 5 given)');
    const otherData = await rejection(
      runExperiment(rotationExperiment(dir, { resume: true, images: selectImages(train, [...Array(48).keys()]) }), {
        quiet: true,
      }),
    );
    expect(otherData.reason).toBe('data');
    expect(otherData.message).toContain('the data changed since the run');

    const resumed = await runExperiment(rotationExperiment(dir, { resume: true, events }), { quiet: true });
    expect(resumed).toMatchObject({ steps: 6, resumedFromStep: 3, interrupted: false });
    // Once pretraining is done, before the encoder is saved and evaluated.
    expect(events).toEqual(['afterPretraining (encoder saved: false)', 'evaluate']);
    expect(metricSteps(dir)).toEqual([1, 2, 3, 4, 5, 6]);
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(record.resumed).toHaveLength(1);

    const nothing = await rejection(runExperiment(rotationExperiment(freshDir(), { resume: true }), { quiet: true }));
    expect(nothing.message).toMatch(/does not exist, so there is nothing to resume/);
  });

  it('names the data files that changed, appeared or went since the run started when a resume is refused', async () => {
    const dir = freshDir();
    const filesOf = (digests: Record<string, string>): Partial<Experiment> => {
      const base = rotationExperiment(dir);
      return {
        // As the CLI's image folders: a fingerprint of the names (the same here), the contents by file.
        prepare: async (context) => ({
          ...(await base.prepare(context)),
          dataFingerprint: 'names',
          dataFiles: digests,
        }),
      };
    };
    const stop = new AbortController();
    await runExperiment(rotationExperiment(dir, filesOf({ 'a.png': '1', 'b.png': '2', 'c.png': '3' })), {
      quiet: true,
      signal: stop.signal,
      callbacks: [{ onStepEnd: (record) => record.step === 2 && stop.abort() }],
    });
    expect(JSON.parse(readFileSync(join(dir, 'data-files.json'), 'utf8'))).toEqual({
      'a.png': '1',
      'b.png': '2',
      'c.png': '3',
    });
    // b.png edited in place (same name, same count), c.png replaced by d.png.
    const edited = await rejection(
      runExperiment(
        rotationExperiment(dir, { resume: true, ...filesOf({ 'a.png': '1', 'b.png': '9', 'd.png': '4' }) }),
        {
          quiet: true,
        },
      ),
    );
    expect(edited.reason).toBe('data');
    expect(edited.message).toBe(
      `the data changed since the run in ${dir} started (1 file changed (b.png), 1 file added (d.png), 1 file removed (c.png)); resuming would not continue the same run — restore the data, or start a new run`,
    );
    const resumed = await runExperiment(
      rotationExperiment(dir, { resume: true, ...filesOf({ 'a.png': '1', 'b.png': '2', 'c.png': '3' }) }),
      { quiet: true },
    );
    expect(resumed).toMatchObject({ resumedFromStep: 2, steps: 6 });
  });

  it('starts again from nothing a run that died before its first checkpoint; a dry run writes nothing', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'run.json'),
      JSON.stringify({ format: 'selfsup-run', started: 'earlier', resumed: [], state: 'training' }),
    );
    writeFileSync(join(dir, 'metrics.jsonl'), '{"step":1,"loss":9}\n');
    const noCheckpoint = await rejection(runExperiment(rotationExperiment(dir, { resume: true }), { quiet: true }));
    expect(noCheckpoint.message).toContain('has no complete checkpoint to resume');
    const log: string[] = [];
    await runExperiment(rotationExperiment(dir), { quiet: true, log: (line) => log.push(line) });
    expect(log).toContain(`${dir}: the run there stopped before its first checkpoint; starting it again`);
    expect(metricSteps(dir)).toEqual([1, 2, 3, 4, 5, 6]);

    const dry = freshDir();
    const result = await runExperiment(rotationExperiment(dry, { dryRun: true }), { quiet: true });
    expect(result).toMatchObject({ dryRun: true, steps: 0, stepsPerEpoch: 2 });
    expect(existsSync(dry)).toBe(false);
  });

  it('says the warnings the data brings once, at the start, and keeps them in the result', async () => {
    const base = rotationExperiment(freshDir(), { dryRun: true });
    const warning = 'images of 1×1 px are below the 8 px a side training needs';
    const log: string[] = [];
    const result = await runExperiment(
      { ...base, prepare: async (context) => ({ ...(await base.prepare(context)), warnings: [warning] }) },
      { quiet: true, log: (line) => log.push(line) },
    );
    expect(log.filter((line) => line === `warning: ${warning}`)).toHaveLength(1);
    expect(result.warnings).toEqual([warning]);
  });

  it('resumes past a corrupt newest checkpoint from the previous good one, onto the uninterrupted losses, saying so in the log and run.json; removes staging leftovers', async () => {
    const whole = freshDir();
    await runExperiment(rotationExperiment(whole), { quiet: true });
    const dir = freshDir();
    const stop = new AbortController();
    await runExperiment(rotationExperiment(dir), {
      quiet: true,
      signal: stop.signal,
      callbacks: [{ onStepEnd: (record) => record.step === 5 && stop.abort() }],
    });
    const checkpoints = join(dir, 'checkpoints');
    expect(readdirSync(checkpoints).filter((name) => name.startsWith('step-'))).toEqual([
      'step-000000004',
      'step-000000005',
    ]);
    const newest = join(checkpoints, 'step-000000005');
    const file = flipWeights(newest);
    mkdirSync(join(checkpoints, '.step-000000006.tmp-99-1-x'));
    const log: string[] = [];
    const resumed = await runExperiment(rotationExperiment(dir, { resume: true }), {
      quiet: true,
      log: (line) => log.push(line),
    });
    expect(resumed).toMatchObject({ steps: 6, resumedFromStep: 4, interrupted: false });
    expect(log).toContain(
      `${checkpoints}: removed what an interrupted checkpoint write left (.step-000000006.tmp-99-1-x)`,
    );
    const fallback = log.find((line) => line.startsWith(`warning: checkpoint ${newest} is corrupt`));
    expect(fallback).toMatch(
      new RegExp(
        `${file.replace('.', '\\.')} does not match its SHA-256 checksum .*; falling back to the previous complete checkpoint, .*step-000000004$`,
      ),
    );
    expect(metricSteps(dir)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(metricLosses(dir)).toEqual(metricLosses(whole));
    expect(readFileSync(join(dir, 'encoder', 'weights.bin'))).toEqual(
      readFileSync(join(whole, 'encoder', 'weights.bin')),
    );
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(record.details.checkpointFallbacks).toEqual([
      {
        time: expect.any(String),
        resumedFrom: join(checkpoints, 'step-000000004'),
        rejected: [
          {
            checkpoint: newest,
            problem: expect.stringMatching(/does not match its SHA-256 checksum/),
            setAsideAs: join(checkpoints, 'corrupt-step-000000005'),
          },
        ],
      },
    ]);
    expect(log).toContain(
      `moved the corrupt checkpoint ${newest} aside to ${join(checkpoints, 'corrupt-step-000000005')}`,
    );
    // Kept for inspection, out of the way: the kept checkpoints are the resumed run's.
    expect(
      readdirSync(checkpoints)
        .filter((name) => !name.startsWith('.'))
        .sort(),
    ).toEqual(['corrupt-step-000000005', 'latest', 'step-000000004', 'step-000000006']);
    expect((await verifyCheckpoint(join(checkpoints, 'step-000000006'))).checksums).toBe(true);
  }, 300_000);

  it('refuses a resume when every checkpoint is corrupt, naming each one tried and what is wrong (reason run)', async () => {
    const dir = freshDir();
    const stop = new AbortController();
    await runExperiment(rotationExperiment(dir), {
      quiet: true,
      signal: stop.signal,
      callbacks: [{ onStepEnd: (record) => record.step === 3 && stop.abort() }],
    });
    const checkpoints = join(dir, 'checkpoints');
    flipWeights(join(checkpoints, 'step-000000003'));
    truncateSync(join(checkpoints, 'step-000000002', 'optimizer.bin'), 7);
    const error = await rejection(
      runExperiment(rotationExperiment(dir, { resume: true }), { quiet: true, log: () => {} }),
    );
    expect(error.reason).toBe('run');
    expect(error.message).toMatch(
      new RegExp(
        `^${dir} cannot be resumed: no good checkpoint under ${checkpoints}: ${join(checkpoints, 'step-000000003')} \\(modules/.*weights\\.bin does not match its SHA-256 checksum .*\\); ${join(checkpoints, 'step-000000002')} \\(optimizer\\.bin is 7 bytes, \\d+ when saved \\(truncated\\)\\); start the run again in a new directory$`,
      ),
    );
  }, 300_000);

  it('stops a diverged run (learning rate 1e9) before saving anything from it, naming the step and the first bad variable (reason failed)', async () => {
    const dir = freshDir();
    const base = rotationExperiment(dir);
    const error = await rejection(
      runExperiment(
        rotationExperiment(dir, {
          training: { ...base.training, schedule: { kind: 'constant', learningRate: 1e9 } },
        }),
        { quiet: true, log: () => {} },
      ),
    );
    expect(error.reason).toBe('failed');
    expect(error.message).toMatch(
      /^pretrain: (the weight|the gradient of|the optimizer slot) '[^']+' holds \d+ NaN or infinite values? .*at step \d+/,
    );
    expect(error.message).toContain('Lower the learning rate');
    expect(existsSync(join(dir, 'encoder'))).toBe(false);
    expect(existsSync(join(dir, 'result.json'))).toBe(false);
    // Whatever checkpoint there is holds a state from before the divergence: it verifies.
    const checkpoints = join(dir, 'checkpoints');
    for (const name of existsSync(checkpoints) ? readdirSync(checkpoints).filter((n) => n.startsWith('step-')) : []) {
      await verifyCheckpoint(join(checkpoints, name));
    }
  });

  it('flags a collapsed representation in the log, the progress, result.json and the report, and finishes', async () => {
    const dir = freshDir();
    const base = rotationExperiment(dir);
    const log: string[] = [];
    const progress: string[] = [];
    const result = await runExperiment(
      {
        ...base,
        training: { ...base.training, metricsEverySteps: 1 },
        async prepare(context) {
          const prepared = await base.prepare(context);
          // As a method whose embeddings have all but collapsed reports them.
          return { ...prepared, objective: { ...prepared.objective, metrics: () => ({ embeddingStd: 3e-6 }) } };
        },
      },
      { log: (line) => log.push(line), progress: { write: (text) => progress.push(text) } },
    );
    expect(result.steps).toBe(6);
    const message =
      "representation collapse at step 1: the embeddings' mean per-dimension std is 3.00e-6 (below 0.0001), so every input maps to nearly the same point; lower the learning rate, check the augmentations, or use a method with a collapse guard";
    // The collapse first; then what the evaluation warns of (40 test images separate nothing).
    expect(result.warnings).toEqual([message, ...floorSeparationWarnings(result.evaluation)]);
    expect(log).toContain(`warning: ${message}`);
    expect(progress.join('')).toContain('COLLAPSED (std 3.0e-6)');
    expect(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')).warnings[0]).toEqual(message);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('representation collapse at step 1');
  });
});
