// Run by scripts/pack-check.mjs in a scratch project that installed the packed tarballs.
import { createRng, initBackend, tf } from '@selfsup/backend';
import { rotationTask } from '@selfsup/vision';

await initBackend({ log: false });
const images = createRng(0).uniformTensor([2, 8, 8, 1]);
const batch = rotationTask().makeBatch(images, { rng: createRng(1), training: true });
if (batch.inputs.shape[0] !== 8) throw new Error('rotation batch has the wrong size');
tf.dispose([images, batch.inputs, batch.targets]);
console.log('vision: rotation task makes 4 rotations per image');
