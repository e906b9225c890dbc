import { initBackend, tf } from '@selfsup/backend';
import { type LabeledImages, labeledImageBatches } from '@selfsup/data';
import { createSmallCnn, loadEncoder } from '@selfsup/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathKind, readTextFile } from '#run-storage';
import { closeDatabase } from '../browser/selfsup-database.js';
import { createSimclr } from '../methods/simclr.js';
import { squareImages } from '../test-square-images.js';
import { encoderEvaluation } from './encoder-evaluation.js';
import { openRunDirectory } from './run-directory.js';
import { type Experiment, runExperiment } from './run-experiment.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

afterAll(async () => {
  await closeDatabase();
});

const set: LabeledImages = squareImages();

/** The README's runExperiment example, small: SimCLR on 64 square images, 4 steps an epoch, in a page. */
function simclrExperiment(dir: string, changes: Partial<Experiment> = {}): Experiment {
  return {
    dir,
    title: 'SimCLR in a page',
    objective: { kind: 'method', id: 'simclr' },
    backend: { backend: 'wasm' },
    config: { method: 'simclr', epochs: 3, batchSize: 16 },
    training: {
      epochs: 3,
      optimizer: { kind: 'adam' },
      schedule: { kind: 'constant', learningRate: 1e-2 },
      seed: 0,
      checkpoint: { everySteps: 5, keep: 2 },
    },
    async prepare() {
      const encoder = createSmallCnn({ inputShape: [16, 16, 1], widths: [8, 16], strides: [1, 2], seed: 0 });
      const objective = createSimclr({ encoder, temperature: 0.5, seed: 1 });
      return {
        objective,
        encoder,
        data: labeledImageBatches(set, { batchSize: 16, seed: 0 }),
        examples: 'images',
        exampleCount: set.count,
        dataDescription: '64 seeded square images',
        dataFingerprint: 'squares-64',
        evaluation: encoderEvaluation(encoder, { train: set, test: set, classes: 4, seed: 0, probeEpochs: 2, knnK: 5 }),
        dispose() {
          objective.dispose();
          encoder.dispose();
        },
      };
    },
    ...changes,
  };
}

const quiet = { log: () => undefined, quiet: true };
const lossesOf = (metrics: string) =>
  metrics
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { loss: number }).loss);

describe('runExperiment in a browser (run files and checkpoints in IndexedDB, a Web Lock)', () => {
  it('runs, refuses a second run on a locked run, and resumes after a reload onto the uninterrupted run', async () => {
    const stamp = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    const tensorsBefore = tf.memory().numTensors;

    const whole = await runExperiment(simclrExperiment(`runs/whole-${stamp}`), quiet);
    expect(whole.interrupted).toBe(false);
    expect(whole.steps).toBe(12);
    expect(whole.encoderPath).toBe(`indexeddb://runs/whole-${stamp}/encoder`);
    expect(whole.linearProbeAccuracy).toEqual(expect.any(Number));
    const wholeLosses = lossesOf(await readTextFile(`runs/whole-${stamp}/metrics.jsonl`));
    expect(wholeLosses).toHaveLength(12);
    expect(await readTextFile(`runs/whole-${stamp}/report.html`)).toContain('<h1>SimCLR in a page</h1>');
    expect(JSON.parse(await readTextFile(`runs/whole-${stamp}/result.json`))).toMatchObject({ steps: 12 });
    expect(JSON.parse(await readTextFile(`runs/whole-${stamp}/run.json`))).toMatchObject({ state: 'finished' });
    await expect(runExperiment(simclrExperiment(`runs/whole-${stamp}`), quiet)).rejects.toThrow(
      /already holds a finished run/,
    );

    // A second run (another tab) cannot take a run another holds.
    const dir = `runs/reloaded-${stamp}`;
    const held = await openRunDirectory(dir, { resume: false });
    await expect(runExperiment(simclrExperiment(dir), quiet)).rejects.toThrow(/is in use by another run/);
    held.lock?.release();

    // The page stops after step 5 (its checkpoint written), then reloads.
    const stop = new AbortController();
    const first = await runExperiment(simclrExperiment(dir), {
      ...quiet,
      signal: stop.signal,
      callbacks: [{ onStepEnd: (record) => record.step === 5 && stop.abort() }],
    });
    expect(first.interrupted).toBe(true);
    expect(first.checkpoint).toBe(`${dir}/checkpoints/step-000000005`);
    await closeDatabase();
    await expect(runExperiment(simclrExperiment(dir), { ...quiet, resultLine: () => undefined })).rejects.toThrow(
      /already holds a run \(checkpoint runs\/reloaded-.*\/checkpoints\/step-000000005\)/,
    );

    const lines: string[] = [];
    const resumed = await runExperiment(simclrExperiment(dir, { resume: true }), {
      ...quiet,
      resultLine: (line) => lines.push(line),
    });
    expect(resumed.resumedFromStep).toBe(5);
    expect(resumed.steps).toBe(12);
    expect(resumed.lastLoss).toBe(whole.lastLoss);
    expect(lossesOf(await readTextFile(`${dir}/metrics.jsonl`))).toEqual(wholeLosses);
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ resumedFromStep: 5, steps: 12 });
    expect(await pathKind(`${dir}/checkpoints`)).toBe('directory');

    // Same weights as the uninterrupted run: its encoder and this one give the same features.
    const [a, b] = await Promise.all([
      loadEncoder(whole.encoderPath as string),
      loadEncoder(resumed.encoderPath as string),
    ]);
    const images = tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 3);
    const features = (encoder: typeof a) =>
      tf.tidy(() => Array.from(encoder.apply(images, { training: false }).dataSync()));
    expect(features(b)).toEqual(features(a));
    tf.dispose(images);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
