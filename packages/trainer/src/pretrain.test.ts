import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, type Scalar, type Tensor, tf } from '@selfsup/backend';
import { labeledImageBatches, loadIdxImages, selectImages } from '@selfsup/data';
import { createSmallCnn } from '@selfsup/models';
import { rotationTask } from '@selfsup/vision';
import { beforeAll, describe, expect, it } from 'vitest';
import { metricsLogCallback, progressCallback } from './callbacks.js';
import { latestCheckpoint } from './checkpoint.js';
import { pretrain } from './pretrain.js';
import { taskObjective } from './task-objective.js';
import type { TrainingObjective } from './training-objective.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

async function smallSet() {
  return selectImages(
    await loadIdxImages({ split: 'train' }),
    Array.from({ length: 256 }, (_, i) => i * 23),
  );
}

function run(
  dir: string | undefined,
  set: Awaited<ReturnType<typeof smallSet>>,
  extra: { maxSteps?: number; resume?: boolean; epochs?: number; signal?: AbortSignal } = {},
) {
  const encoder = createSmallCnn({ widths: [16, 32, 32], strides: [1, 2, 2], seed: 3 });
  const objective = taskObjective(rotationTask(), encoder, { seed: 4 });
  return {
    encoder,
    objective,
    result: pretrain({
      objective,
      data: labeledImageBatches(set, { batchSize: 32, seed: 5 }),
      epochs: extra.epochs ?? 2,
      optimizer: { kind: 'adam' },
      schedule: ({ totalSteps }) => ({ kind: 'warmup-cosine', learningRate: 1e-2, warmupSteps: 2, totalSteps }),
      seed: 6,
      ...(dir === undefined ? {} : { checkpoint: { dir, everySteps: 3, keep: 2 } }),
      ...(extra.maxSteps === undefined ? {} : { maxSteps: extra.maxSteps }),
      ...(extra.resume === undefined ? {} : { resume: extra.resume }),
      ...(extra.signal === undefined ? {} : { signal: extra.signal }),
    }),
  };
}

describe('pretrain', () => {
  it('reduces a real pretext loss (rotation on Fashion-MNIST) with a flat tensor count', async () => {
    const set = await smallSet();
    const { encoder, objective, result } = run(undefined, set, { epochs: 6 });
    const before = tf.memory().numTensors;
    const { history, steps } = await result;
    expect(steps).toBe(48);
    const first = history.slice(0, 4).reduce((s, r) => s + r.loss, 0) / 4;
    const last = history.slice(-4).reduce((s, r) => s + r.loss, 0) / 4;
    expect(last).toBeLessThan(first * 0.8);
    expect(history.some((r) => r.metrics?.rotationAccuracy !== undefined)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    objective.dispose();
    encoder.dispose();
  });

  it('resumes from a checkpoint onto the same loss curve as an uninterrupted run', async () => {
    const set = await smallSet();
    const full = run(undefined, set);
    const fullHistory = (await full.result).history.map((r) => r.loss);
    full.objective.dispose();
    full.encoder.dispose();

    const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
    const first = run(dir, set, { maxSteps: 7 });
    await first.result;
    first.objective.dispose();
    first.encoder.dispose();
    expect(await latestCheckpoint(dir)).toMatch(/step-000000007$/);
    // keep: 2 — only the two newest checkpoints remain
    expect(readdirSync(dir).filter((d) => d.startsWith('step-'))).toEqual(['step-000000006', 'step-000000007']);

    const second = run(dir, set, { resume: true });
    const resumed = await second.result;
    expect(resumed.resumedFromStep).toBe(7);
    expect(resumed.history.map((r) => r.loss)).toEqual(fullHistory);
    second.objective.dispose();
    second.encoder.dispose();
  });

  it('stops gracefully when its signal aborts: a checkpoint at the step reached, then resume continues the curve', async () => {
    const set = await smallSet();
    const full = run(undefined, set);
    const fullHistory = (await full.result).history.map((r) => r.loss);
    full.objective.dispose();
    full.encoder.dispose();

    const dir = mkdtempSync(join(tmpdir(), 'abort-'));
    const controller = new AbortController();
    const first = run(dir, set, { signal: controller.signal });
    // Abort while step 5 runs (a Ctrl-C): the step finishes and is checkpointed although 5 is not a multiple of 3.
    first.objective.afterStep = ({ step }) => {
      if (step === 4) controller.abort();
    };
    const stopped = await first.result;
    first.objective.dispose();
    first.encoder.dispose();
    expect(stopped).toMatchObject({ steps: 5, interrupted: true });
    expect(await latestCheckpoint(dir)).toMatch(/step-000000005$/);

    const second = run(dir, set, { resume: true });
    const resumed = await second.result;
    expect(resumed).toMatchObject({ resumedFromStep: 5, interrupted: false });
    expect(resumed.history.map((r) => r.loss)).toEqual(fullHistory);
    second.objective.dispose();
    second.encoder.dispose();
  });

  it('stops with a clear error naming the step when the loss is not finite, writing no checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nan-'));
    const variable = tf.variable(tf.scalar(1), true, 'nan-test-weight');
    const objective: TrainingObjective<Tensor> = {
      id: 'exploding',
      trainableVariables: [variable],
      modules: {},
      viewsPerImage: 1,
      prepare: (batch) => tf.clone(batch),
      loss: (_prepared, { step }) => (step < 2 ? tf.mul(variable, 1) : tf.div(variable, 0)) as Scalar,
      dispose: () => variable.dispose(),
    };
    const set = await smallSet();
    await expect(
      pretrain({
        objective,
        data: labeledImageBatches(set, { batchSize: 32, seed: 1 }),
        epochs: 1,
        optimizer: { kind: 'sgd' },
        schedule: { kind: 'constant', learningRate: 0.1 },
        seed: 0,
        checkpoint: { dir },
      }),
    ).rejects.toThrow(
      /pretrain: the loss is Infinity at step 3 \(epoch 1, batch 3\); the last finite loss was .* at step 2/,
    );
    expect(readdirSync(dir)).toEqual([]);
    objective.dispose();
  });

  it('stops at the first non-finite gradient, naming the step and the variable, though the loss is finite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nan-gradient-'));
    const good = tf.variable(tf.scalar(1), true, 'steady');
    const bad = tf.variable(tf.scalar(1), true, 'kinked');
    const objective: TrainingObjective<Tensor> = {
      id: 'kinked',
      trainableVariables: [good, bad],
      modules: {},
      viewsPerImage: 1,
      prepare: (batch) => tf.clone(batch),
      // √(w − w) is 0, its gradient 0 · ∞ = NaN: a finite loss over a NaN gradient from step 3 on.
      loss: (_prepared, { step }) =>
        (step < 2 ? tf.mul(tf.add(good, bad), 1) : tf.add(good, tf.sqrt(tf.sub(bad, bad)))) as Scalar,
      dispose: () => tf.dispose([good, bad]),
    };
    const set = await smallSet();
    const before = tf.memory().numTensors;
    const failure = pretrain({
      objective,
      data: labeledImageBatches(set, { batchSize: 32, seed: 1 }),
      epochs: 1,
      optimizer: { kind: 'sgd' },
      schedule: { kind: 'constant', learningRate: 0.1 },
      seed: 0,
      checkpoint: { dir, everySteps: 2 },
    });
    await expect(failure).rejects.toThrow(
      /^pretrain: the gradient of 'kinked' holds 1 NaN or infinite value \(the loss is 0\.71\) at step 3 \(epoch 1, batch 3\); the last finite loss was .* at step 2\. Lower the learning rate, enable gradient clipping, or check the inputs\. Nothing was saved from this state: the newest checkpoint, .*step-000000002, is from step 2\.$/,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(readdirSync(dir).filter((name) => name.startsWith('step-'))).toEqual(['step-000000002']);
    objective.dispose();
  });

  it('stops when an update makes a weight infinite — before saving it, or at the next step — naming the first bad variable', async () => {
    let made = 0;
    const make = () => {
      made++;
      const steady = tf.variable(tf.scalar(1), true, `steady-${made}`);
      const exploding = tf.variable(tf.scalar(1), true, `exploding-${made}`);
      const objective: TrainingObjective<Tensor> = {
        id: 'exploding',
        trainableVariables: [steady, exploding],
        modules: {},
        viewsPerImage: 1,
        prepare: (batch) => tf.clone(batch),
        // A gradient of 1e30 at a learning rate of 1e9: the update overflows float32 to −Inf.
        loss: () => tf.add(steady, tf.mul(exploding, 1e30)) as Scalar,
        dispose: () => tf.dispose([steady, exploding]),
      };
      return objective;
    };
    const set = await smallSet();
    const options = (objective: TrainingObjective<Tensor>) => ({
      objective,
      data: labeledImageBatches(set, { batchSize: 32, seed: 1 }),
      epochs: 1,
      optimizer: { kind: 'sgd' as const },
      schedule: { kind: 'constant' as const, learningRate: 1e9 },
      seed: 0,
    });
    const saving = make();
    const dir = mkdtempSync(join(tmpdir(), 'inf-weight-'));
    await expect(pretrain({ ...options(saving), checkpoint: { dir, everySteps: 1 } })).rejects.toThrow(
      /^pretrain: the weight 'exploding-1' holds 1 NaN or infinite value at step 1 \(checked before saving\); the last finite loss was .* at step 1\. Lower the learning rate.* Nothing was saved from this state \(no checkpoint yet\)\.$/,
    );
    expect(readdirSync(dir)).toEqual([]);
    saving.dispose();

    const unsaved = make();
    await expect(pretrain(options(unsaved))).rejects.toThrow(
      /^pretrain: the weight 'exploding-2' holds 1 NaN or infinite value \(after the update of step 1\) at step 2 \(epoch 1, batch 2\)/,
    );
    unsaved.dispose();
  });

  it('resumes past a corrupt newest checkpoint from the one before, saying so and setting it aside', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fallback-'));
    const run = async (resume: boolean, log?: (line: string) => void) => {
      const weight = tf.variable(tf.scalar(2), true, 'fallback-weight');
      const objective: TrainingObjective<Tensor> = {
        id: 'quadratic',
        trainableVariables: [weight],
        modules: {},
        viewsPerImage: 1,
        prepare: (batch) => tf.clone(batch),
        loss: () => tf.square(weight) as Scalar,
        dispose: () => weight.dispose(),
      };
      try {
        return await pretrain({
          objective,
          data: labeledImageBatches(await smallSet(), { batchSize: 32, seed: 1 }),
          epochs: 1,
          optimizer: { kind: 'sgd' },
          schedule: { kind: 'constant', learningRate: 0.1 },
          seed: 0,
          checkpoint: { dir, everySteps: 2, keep: 3 },
          ...(resume ? { resume } : { maxSteps: 6 }),
          ...(log === undefined ? {} : { log }),
        });
      } finally {
        objective.dispose();
      }
    };
    await run(false);
    const bytes = readFileSync(join(dir, 'step-000000006', 'optimizer.json'));
    writeFileSync(join(dir, 'step-000000006', 'optimizer.json'), Buffer.concat([bytes, Buffer.from(' ')]));
    const lines: string[] = [];
    const resumed = await run(true, (line) => lines.push(line));
    expect(resumed).toMatchObject({ resumedFromStep: 4, steps: 8 });
    expect(lines[0]).toMatch(
      /step-000000006 is corrupt: optimizer\.json is \d+ bytes, \d+ when saved \(grown\); falling back to the previous complete checkpoint, .*step-000000004$/,
    );
    expect(
      readdirSync(dir)
        .filter((name) => !name.startsWith('.'))
        .sort(),
    ).toEqual(['corrupt-step-000000006', 'latest', 'step-000000004', 'step-000000006', 'step-000000008']);
  });

  it('logs JSON lines and plain progress lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-'));
    const lines: string[] = [];
    const set = await smallSet();
    const encoder = createSmallCnn({ widths: [4], strides: [2] });
    const objective = taskObjective(rotationTask(), encoder);
    await pretrain({
      objective,
      data: labeledImageBatches(set, { batchSize: 64, seed: 1 }),
      epochs: 1,
      optimizer: { kind: 'adam' },
      schedule: { kind: 'constant', learningRate: 1e-3 },
      seed: 0,
      callbacks: [
        metricsLogCallback(join(dir, 'metrics.jsonl')),
        progressCallback({ stream: { write: (t: string) => lines.push(t) }, everySteps: 2 }),
      ],
    });
    const records = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records).toHaveLength(4);
    expect(records[0]).toMatchObject({ step: 1, epoch: 1 });
    expect(
      lines.some((l) =>
        /^epoch 1\/1 {2}step 2\/4 \(2\/4\) {2}loss \d+\.\d{4} {2}lr 1\.00e-3 {2}\d+ img\/s {2}ETA /.test(l),
      ),
    ).toBe(true);
    expect(existsSync(join(dir, 'metrics.jsonl'))).toBe(true);
    objective.dispose();
    encoder.dispose();
  });
});
