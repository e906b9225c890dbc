import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dinoPreset } from '@selfsup/augment';
import { initBackend, tf } from '@selfsup/backend';
import { labeledImageBatches, loadIdxImages, selectImages } from '@selfsup/data';
import { createSmallCnn, FASHION_MNIST_NORMALIZATION } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { pretrain } from '../pretrain.js';
import { createMethod, sslMethods } from './methods.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

async function images() {
  return selectImages(
    await loadIdxImages({ split: 'train' }),
    Array.from({ length: 384 }, (_, i) => i * 15),
  );
}

function encoder(seed = 2) {
  return createSmallCnn({ widths: [16, 32, 32], strides: [1, 2, 2], normalization: FASHION_MNIST_NORMALIZATION, seed });
}

const methodOptions: Record<string, Record<string, unknown>> = {
  simclr: { temperature: 0.5 },
  'moco-v2': { queueSize: 256, momentum: 0.9 },
  byol: { momentum: 0.9 },
  simsiam: {},
  'barlow-twins': { lambda: 5e-3 },
  vicreg: {},
  // Multi-crop with 2 local crops (the default 6 costs 4× a two-view step).
  dino: { views: dinoPreset({ globalSize: [28, 28], localSize: [28, 28], localCrops: 2 }), outputSize: 256 },
  // A queue that fills from the first step and serves the codes from the third.
  swav: {
    views: dinoPreset({
      globalSize: [28, 28],
      localSize: [28, 28],
      localCrops: 2,
      globalScale: [0.14, 1],
      localScale: [0.05, 0.14],
    }),
    queueSize: 128,
    queueStart: 0,
  },
  nnclr: { supportSize: 256 },
};

describe('every method trains on real Fashion-MNIST images', () => {
  for (const id of Object.keys(sslMethods)) {
    it(`${id}: ${id === 'dino' ? 'the loss stays below ln K' : 'the loss goes down'} and the tensor count stays flat`, async () => {
      const set = await images();
      const enc = encoder();
      const objective = createMethod(id, { encoder: enc, seed: 3, ...methodOptions[id] });
      const before = tf.memory().numTensors;
      const { history } = await pretrain({
        objective,
        data: labeledImageBatches(set, { batchSize: 64, seed: 1 }),
        epochs: 4,
        optimizer: { kind: 'adam' },
        schedule: { kind: 'constant', learningRate: 3e-3 },
        seed: 4,
      });
      expect(tf.memory().numTensors).toBe(before);
      const losses = history.map((r) => r.loss);
      expect(losses.every(Number.isFinite)).toBe(true);
      // MoCo's loss first rises while the queue fills with negatives; compare once it is full.
      const start = id === 'moco-v2' ? 3 : 0;
      const first = losses.slice(start, start + 4).reduce((a, b) => a + b, 0) / 4;
      const last = losses.slice(-4).reduce((a, b) => a + b, 0) / 4;
      if (id === 'dino') {
        // DINO's loss rises towards ln K while the center catches up with a teacher whose outputs
        // hardly differ between images at this scale (README: what to expect); it stays below it.
        expect(Math.max(...losses)).toBeLessThan(Math.log(256) + 0.05);
      } else {
        expect(last).toBeLessThan(first);
      }
      objective.dispose();
      enc.dispose();
    });
  }

  it('rejects unknown methods, listing the known ones', () => {
    expect(() => createMethod('simclrr', { encoder: encoder() })).toThrow(
      "'simclrr' is not a method; known: simclr, moco-v2, byol, simsiam, barlow-twins, vicreg, dino, swav, moco-v3, nnclr",
    );
  });
});

describe('methods with target networks and queues resume exactly', () => {
  for (const id of ['moco-v2', 'byol', 'dino', 'swav', 'moco-v3', 'nnclr']) {
    it(`${id}: a run resumed from a checkpoint continues the uninterrupted loss curve`, async () => {
      const set = await images();
      const run = async (dir: string | undefined, extra: { maxSteps?: number; resume?: boolean }) => {
        const enc = encoder(5);
        const objective = createMethod(id, { encoder: enc, seed: 6, ...methodOptions[id] });
        const result = await pretrain({
          objective,
          data: labeledImageBatches(set, { batchSize: 64, seed: 7 }),
          epochs: 2,
          optimizer: { kind: 'adamw' },
          schedule: { kind: 'constant', learningRate: 1e-3 },
          seed: 8,
          ...(dir === undefined ? {} : { checkpoint: { dir } }),
          ...extra,
        });
        // Every weight of every module (targets, teachers) and the method's own state, at the end.
        const weights = Object.values(objective.modules).flatMap((m) =>
          [...m.trainableVariables, ...m.stateVariables].map((v) => Array.from(v.dataSync())),
        );
        const state = objective.getState?.() ?? {};
        const stateValues = Object.values(state).map((t) => Array.from(t.dataSync()));
        tf.dispose(Object.values(state));
        objective.dispose();
        enc.dispose();
        return { losses: result.history.map((r) => r.loss), weights, stateValues };
      };
      const full = await run(undefined, {});
      const dir = mkdtempSync(join(tmpdir(), `${id}-`));
      await run(dir, { maxSteps: 5 });
      const resumed = await run(dir, { resume: true });
      expect(resumed.losses).toEqual(full.losses);
      expect(resumed.weights).toEqual(full.weights);
      expect(resumed.stateValues).toEqual(full.stateValues);
    });
  }
});
