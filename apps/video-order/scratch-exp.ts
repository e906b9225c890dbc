import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, initBackend, tf, type Tensor2D } from '@selfsup/backend';
import { createSmallCnn, createGridPooledCnn, type Head } from '@selfsup/models';
import { pretrain, taskObjective } from '@selfsup/trainer';
import { loadVideos, orderPredictionTask, sequenceBatch, sequenceBatches, shuffleAndLearnTask, arrowOfTimeTask } from '@selfsup/video';
await initBackend({ log: false });
const dir = process.argv[2] ?? '/tmp/vo-run2/videos';
const size = Number(process.argv[3] ?? 40);
const steps = Number(process.argv[4] ?? 120);
const list = (d: string) => readdirSync(d).filter((f) => /\.(mp4|webm)$/.test(f)).map((f) => join(d, f));
const train = (await loadVideos(list(join(dir, 'train')), { frames: { count: 24 }, size, channels: 1 })).sequences;
const test = (await loadVideos(list(join(dir, 'test')), { frames: { count: 24 }, size, channels: 1 })).sequences;
const configs: Record<string, () => any> = {
  'opn-span10': () => orderPredictionTask({ windowSpan: 10 }),
  'opn-span24': () => orderPredictionTask({ windowSpan: 24, motionQuantile: 0 }),
  'sl-span10': () => shuffleAndLearnTask({ windowSpan: 10 }),
  'sl-span24': () => shuffleAndLearnTask({ windowSpan: 24, motionQuantile: 0 }),
  'aot': () => arrowOfTimeTask({ frames: 4, frameStride: 4 }),
};
const only = process.argv[5]?.split(',');
for (const [name, make] of Object.entries(configs)) {
  if (only && !only.includes(name)) continue;
  const encoder = process.env.ENC === 'grid' ? createGridPooledCnn({ inputShape: [size, size, 1], seed: 0 }) : createSmallCnn({ inputShape: [size, size, 1], seed: 0 });
  const task = make();
  const objective = taskObjective(task, encoder, { seed: 1 });
  const t = performance.now();
  const run = await pretrain({ objective, data: sequenceBatches(train, { batchSize: 32, seed: 0 }), epochs: 1000, maxSteps: steps, optimizer: { kind: 'adam' }, schedule: { kind: 'constant', learningRate: 1e-3 }, seed: 0 });
  const acc = (seqs: any) => {
    let c = 0, n = 0;
    for (let b = 0; b < 6; b++) {
      const s = sequenceBatch(seqs, Array.from({ length: 32 }, (_, i) => (b * 32 + i) % seqs.count));
      const batch = task.makeBatch(s, { rng: createRng(9).fork(`e${b}`), training: false });
      c += tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax((objective.head as Head).apply(encoder.apply(batch.inputs, { training: false }) as Tensor2D, { training: false }), 1), batch.targets), 'float32')).dataSync()[0] as number);
      n += 32; tf.dispose([s, batch]);
    }
    return c / n;
  };
  const losses = run.history.map((h: any) => h.loss);
  const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
  console.log(`${name}: loss first10 ${avg(losses.slice(0, 10)).toFixed(3)} last10 ${avg(losses.slice(-10)).toFixed(3)} train acc ${acc(train).toFixed(3)} test acc ${acc(test).toFixed(3)} ${((performance.now() - t) / 1000).toFixed(0)}s`);
  objective.dispose(); encoder.dispose();
}
