import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
};

describe('every method trains on real Fashion-MNIST images', () => {
  for (const id of Object.keys(sslMethods)) {
    it(`${id}: the loss goes down and the tensor count stays flat`, async () => {
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
      expect(last).toBeLessThan(first);
      objective.dispose();
      enc.dispose();
    });
  }

  it('rejects unknown methods, listing the known ones', () => {
    expect(() => createMethod('simclrr', { encoder: encoder() })).toThrow(
      "'simclrr' is not a method; known: simclr, moco-v2, byol, simsiam, barlow-twins, vicreg",
    );
  });
});

describe('methods with target networks and queues resume exactly', () => {
  for (const id of ['moco-v2', 'byol']) {
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
        objective.dispose();
        enc.dispose();
        return result.history.map((r) => r.loss);
      };
      const full = await run(undefined, {});
      const dir = mkdtempSync(join(tmpdir(), `${id}-`));
      await run(dir, { maxSteps: 5 });
      const resumed = await run(dir, { resume: true });
      expect(resumed).toEqual(full);
    });
  }
});
