// Run by scripts/pack-check.mjs in a scratch project that installed the packed tarballs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, initBackend, tf } from '@selfsup/backend';
import { createSmallCnn, loadEncoder, saveModule } from '@selfsup/models';

await initBackend({ log: false });
const encoder = createSmallCnn({ widths: [8, 16], strides: [1, 2] });
const images = createRng(0).uniformTensor([2, 28, 28, 1]);
const dir = join(mkdtempSync(join(tmpdir(), 'models-smoke-')), 'encoder');
await saveModule(encoder, dir);
const loaded = await loadEncoder(dir);
const a = tf.tidy(() => Array.from(encoder.apply(images, { training: false }).dataSync()));
const b = tf.tidy(() => Array.from(loaded.apply(images, { training: false }).dataSync()));
if (a.join() !== b.join()) throw new Error('saved and loaded encoders disagree');
console.log(`models: small CNN saved and reloaded, ${loaded.featureSize} features`);
