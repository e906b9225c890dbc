// SimCLR through `pretrain` on WebGPU in Node (Dawn's `webgpu` package on Mesa's lavapipe when
// there is no GPU — .ci/run installs it): the same losses and metrics as on wasm, step for step.
// WebGPU has no synchronous readback here, so this proves the loop reads its values and the
// method's metrics asynchronously; and it binds each
// kernel's inputs at once, so a many-input kernel (an addN over every gradient) would fail and read
// zeros — which equal losses rule out. Skipped only when WebGPU cannot start here, with the reason.
import { initBackend } from '@selfsup/backend';
import { type LabeledImages, labeledImageBatches } from '@selfsup/data';
import { createSmallCnn } from '@selfsup/models';
import { describe, expect, it } from 'vitest';
import type { StepRecord } from './checkpoint.js';
import { createSimclr } from './methods/simclr.js';
import { pretrain } from './pretrain.js';

async function webgpuUnavailable(): Promise<string | undefined> {
  try {
    await initBackend({ backend: 'webgpu', log: false });
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}
const unavailable = await webgpuUnavailable();

/** 32 deterministic 28×28 grey images, 10 classes. */
const images: LabeledImages = {
  images: Uint8Array.from({ length: 32 * 28 * 28 }, (_, i) => (i * 37 + (i >> 7)) % 256),
  labels: Uint8Array.from({ length: 32 }, (_, i) => i % 10),
  count: 32,
  height: 28,
  width: 28,
  channels: 1,
};

async function simclrSteps(backend: 'wasm' | 'webgpu'): Promise<StepRecord[]> {
  await initBackend({ backend, log: false });
  const encoder = createSmallCnn({ inputShape: [28, 28, 1], widths: [8, 16], strides: [2, 2], seed: 0 });
  const objective = createSimclr({ encoder, seed: 1 });
  try {
    const run = await pretrain({
      objective,
      data: labeledImageBatches(images, { batchSize: 16, seed: 0 }),
      epochs: 2,
      optimizer: { kind: 'adam' },
      schedule: { kind: 'constant', learningRate: 1e-3 },
      seed: 0,
      metricsEverySteps: 2,
      log: (line) => {
        throw new Error(`pretrain said: ${line}`);
      },
    });
    return run.history;
  } finally {
    objective.dispose?.();
    encoder.dispose();
  }
}

describe.skipIf(unavailable !== undefined)(
  `pretrain on webgpu in Node${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    it('trains SimCLR to the losses and embedding spreads wasm gives, step for step, every metric reported', async () => {
      const onWasm = await simclrSteps('wasm');
      const onWebgpu = await simclrSteps('webgpu');
      expect(onWebgpu).toHaveLength(4);
      for (const [step, record] of onWasm.entries()) expect(onWebgpu[step]?.loss).toBeCloseTo(record.loss, 4);
      expect(onWebgpu.at(-1)?.loss).toBeLessThan(onWebgpu[0]?.loss as number);
      // Steps 2 and 4 report the method's metric on both backends (WebGPU has no dataSync here).
      expect(onWebgpu.map((record) => record.metrics !== undefined)).toEqual([false, true, false, true]);
      for (const step of [1, 3]) {
        const spread = onWebgpu[step]?.metrics?.embeddingStd as number;
        expect(spread).toBeGreaterThan(1e-3);
        expect(spread).toBeCloseTo(onWasm[step]?.metrics?.embeddingStd as number, 4);
      }
    }, 600_000);
  },
);
