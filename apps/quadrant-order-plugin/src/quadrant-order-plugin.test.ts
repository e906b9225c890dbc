import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertNoTensorLeak, createRng, initBackend, type Tensor4D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin, { QUADRANT_ORDERS, quadrantOrderTask, rearrangeQuadrants } from './quadrant-order-plugin.js';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(app, '..', '..', 'packages', 'cli', 'src', 'bin.ts');

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('the quadrant-order task', () => {
  it('is correct by construction: the inverse order restores every image', () => {
    const images = createRng(0).uniformTensor([5, 8, 8, 3]) as Tensor4D;
    const task = quadrantOrderTask();
    const batch = task.makeBatch(images, { rng: createRng(1), training: true });
    const labels = Array.from(batch.targets.dataSync());
    const inverse = labels.map((label) => {
      const order = QUADRANT_ORDERS[label] as number[];
      return [0, 1, 2, 3].map((q) => order.indexOf(q));
    });
    const restored = rearrangeQuadrants(batch.inputs as Tensor4D, inverse);
    expect(Array.from(restored.dataSync())).toEqual(Array.from(images.dataSync()));
    expect(new Set(labels).size).toBeGreaterThan(1);
    tf.dispose([images, batch.inputs, batch.targets, restored]);
  });

  it('draws the same orders from the same seed, rejects bad options and odd sizes, and leaks no tensor', async () => {
    const images = createRng(0).uniformTensor([6, 4, 4, 1]) as Tensor4D;
    const task = quadrantOrderTask({ orders: 6 });
    const a = task.makeBatch(images, { rng: createRng(7), training: true });
    const b = task.makeBatch(images, { rng: createRng(7), training: true });
    expect(Array.from(a.targets.dataSync())).toEqual(Array.from(b.targets.dataSync()));
    expect(Math.max(...a.targets.dataSync())).toBeLessThan(6);
    tf.dispose([a.inputs, a.targets, b.inputs, b.targets]);
    await assertNoTensorLeak('makeBatch + loss', () => {
      const batch = task.makeBatch(images, { rng: createRng(1), training: true });
      const outputs = tf.zeros([6, 6]);
      const loss = task.loss(outputs, batch);
      tf.dispose([batch.inputs, batch.targets, outputs]);
      return loss;
    });
    expect(() => quadrantOrderTask({ orders: 30 })).toThrow('orders must be an integer from 2 to 24, got 30');
    const odd = createRng(0).uniformTensor([1, 5, 5, 1]) as Tensor4D;
    expect(() => task.makeBatch(odd, { rng: createRng(0), training: true })).toThrow('even height and width');
    tf.dispose([images, odd]);
  });

  it('registers through the plugin interface, and trains from the CLI, lowering its loss', () => {
    expect(plugin.name).toBe('quadrant-order');
    const out = mkdtempSync(join(tmpdir(), 'quadrant-order-'));
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        import.meta.resolve('tsx'),
        '--conditions=@selfsup/source',
        bin,
        'pretrain',
        '--config',
        'quadrant-order.yaml',
        '--trust-plugins',
        '--set',
        'data.limit=1024',
        '--set',
        'evaluation.enabled=false',
        '--epochs',
        '4',
        '--out',
        out,
        '--json',
        '--quiet',
      ],
      { cwd: app, encoding: 'utf8', env: { ...process.env, SELFSUP_BACKEND: 'wasm' }, timeout: 240_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ objective: { kind: 'task', id: 'quadrant-order' }, steps: 32 });
    const losses = readFileSync(join(out, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).loss as number);
    const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
    // Chance is ln 24 ≈ 3.18; the task is learnable, so the loss falls well below it.
    expect(mean(losses.slice(0, 4))).toBeGreaterThan(2.9);
    expect(mean(losses.slice(-4))).toBeLessThan(mean(losses.slice(0, 4)) * 0.85);
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(record.details.plugins).toEqual([
      { name: 'quadrant-order', path: join(app, 'src', 'quadrant-order-plugin.ts') },
    ]);
  }, 300_000);
});
