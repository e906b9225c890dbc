import {
  assertNoTensorLeak,
  createRng,
  initBackend,
  readScalars,
  type Tensor2D,
  type Tensor4D,
  tf,
} from '@selfsup/backend';
import { createSmallCnn } from '@selfsup/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { createByol } from './methods/byol.js';
import { createMocoV2 } from './methods/moco-v2.js';
import { createSimclr } from './methods/simclr.js';
import { collapseWatchCallback, EMBEDDING_STD_METRIC, embeddingStd } from './representation-collapse.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('embeddingStd', () => {
  it('is 0 for embeddings that all point one way and ≈ 1/√D for isotropic ones, leaking no tensor', async () => {
    const collapsed = tf.tidy(() => tf.mul(tf.ones([64, 32]), tf.range(1, 33).reshape([1, 32]))) as Tensor2D;
    // Rows of different lengths, one direction: the same point once normalized.
    const scaled = tf.tidy(() => tf.mul(collapsed, tf.range(1, 65).reshape([64, 1]))) as Tensor2D;
    const isotropic = tf.randomNormal([4096, 64], 0, 1, 'float32', 7) as Tensor2D;
    await assertNoTensorLeak('embeddingStd', async () => {
      const spread = await readScalars({
        collapsed: embeddingStd(collapsed),
        scaled: embeddingStd(scaled),
        isotropic: embeddingStd(isotropic),
      });
      expect(spread.collapsed).toBeLessThan(1e-6);
      expect(spread.scaled).toBeLessThan(1e-6);
      expect(spread.isotropic).toBeCloseTo(1 / Math.sqrt(64), 2);
    });
    tf.dispose([collapsed, scaled, isotropic]);
  });
});

describe('the joint-embedding methods', () => {
  it(`report the spread of their projections as the '${EMBEDDING_STD_METRIC}' metric, leaking no tensor`, async () => {
    const batch = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 1) as Tensor4D;
    for (const create of [createSimclr, createByol, createMocoV2]) {
      const encoder = createSmallCnn({ widths: [4, 8], strides: [2, 2], seed: 2 });
      const method = create({ encoder, seed: 3 } as never);
      const prepared = method.prepare(batch, createRng(4));
      await assertNoTensorLeak(`${method.id} metrics`, async () => {
        const spread = (await readScalars(method.metrics?.(prepared as never) ?? {}))[EMBEDDING_STD_METRIC];
        expect(spread).toBeGreaterThan(1e-3);
        expect(spread).toBeLessThan(1);
      });
      tf.dispose(prepared as never);
      method.dispose();
      encoder.dispose();
    }
    batch.dispose();
  });
});

describe('collapseWatchCallback', () => {
  it('warns once, at the first step whose spread is below the threshold', () => {
    const lines: string[] = [];
    const watch = collapseWatchCallback({ log: (line) => lines.push(line) });
    const record = (step: number, embeddingStd?: number) => ({
      step,
      epoch: 1,
      loss: 4.1,
      learningRate: 1e-3,
      ...(embeddingStd === undefined ? {} : { metrics: { embeddingStd } }),
    });
    const progress = {} as never;
    watch.onStepEnd?.(record(1, 0.08), progress);
    watch.onStepEnd?.(record(2), progress);
    expect(watch.warning()).toBeUndefined();
    watch.onStepEnd?.(record(3, 2e-5), progress);
    watch.onStepEnd?.(record(4, 1e-7), progress);
    expect(watch.warning()).toMatchObject({ step: 3, embeddingStd: 2e-5 });
    expect(lines).toEqual([`warning: ${watch.warning()?.message}`]);
    expect(lines[0]).toMatch(
      /^warning: representation collapse at step 3: the embeddings' mean per-dimension std is 2\.00e-5 \(below 0\.0001\)/,
    );
  });
});
