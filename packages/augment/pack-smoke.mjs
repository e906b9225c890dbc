// Run by scripts/pack-check.mjs in a scratch project that installed the packed tarballs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImage, simclrPreset, twoViews, writePng } from '@selfsup/augment';
import { createRng, initBackend, tf } from '@selfsup/backend';

await initBackend({ log: false });
const images = createRng(0).uniformTensor([4, 32, 32, 3]);
const [a, b] = twoViews(simclrPreset({ size: [24, 24] }))(images, createRng(1));
const path = join(mkdtempSync(join(tmpdir(), 'augment-smoke-')), 'view.png');
await writePng(a.slice([0, 0, 0, 0], [1, 24, 24, 3]), path);
const back = await readImage(path);
if (back.shape.join() !== '24,24,3') throw new Error(`unexpected shape ${back.shape}`);
tf.dispose([images, a, b, back]);
console.log('augment: two SimCLR views made, written with sharp and read back');
