// Run by scripts/pack-check.mjs in a scratch project that installed the packed tarballs.
import { initBackend } from '@selfsup/backend';
import { labeledImageBatches, loadIdxImages, selectImages } from '@selfsup/data';
import { createSmallCnn } from '@selfsup/models';
import { createSimclr, pretrain } from '@selfsup/trainer';

await initBackend({ log: false });
const set = selectImages(
  await loadIdxImages({ split: 'train' }),
  Array.from({ length: 64 }, (_, i) => i),
);
const encoder = createSmallCnn({ widths: [8, 8], strides: [2, 2] });
const objective = createSimclr({ encoder });
const { history } = await pretrain({
  objective,
  data: labeledImageBatches(set, { batchSize: 32, seed: 0 }),
  epochs: 2,
  optimizer: { kind: 'adam' },
  schedule: { kind: 'constant', learningRate: 1e-3 },
  seed: 0,
});
if (history.length !== 4 || !history.every((r) => Number.isFinite(r.loss))) throw new Error('pretraining failed');
objective.dispose();
encoder.dispose();
console.log(`trainer: 4 SimCLR steps, loss ${history[0].loss.toFixed(3)} → ${history[3].loss.toFixed(3)}`);
