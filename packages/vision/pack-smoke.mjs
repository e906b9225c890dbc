// Run by scripts/pack-check.mjs in a scratch project that installed the packed tarballs.
import { createRng, initBackend, tf } from '@selfsup/backend';
import { jigsawTask, labToRgb, maeTask, rgbToLab, rotationTask, visionTasks } from '@selfsup/vision';

await initBackend({ log: false });
const images = createRng(0).uniformTensor([2, 28, 28, 1]);
const batch = rotationTask().makeBatch(images, { rng: createRng(1), training: true });
if (batch.inputs.shape[0] !== 8) throw new Error('rotation batch has the wrong size');
const jigsaw = jigsawTask({ permutations: 10 }).makeBatch(images, { rng: createRng(2), training: true });
if (jigsaw.inputs.shape.join() !== '18,7,7,1')
  throw new Error(`jigsaw tiles have the wrong shape [${jigsaw.inputs.shape}]`);
const mae = maeTask({ patchSize: 4 }).makeBatch(images, { rng: createRng(3), training: true });
if (mae.visibleIndices.shape.join() !== '2,12') throw new Error('mae keeps the wrong number of patches');
const colours = createRng(4).uniformTensor([4, 3]);
const roundTrip = labToRgb(rgbToLab(colours));
if (tf.max(tf.abs(tf.sub(roundTrip, colours))).dataSync()[0] > 1e-3) throw new Error('Lab round trip failed');
tf.dispose([images, batch, jigsaw, mae, colours, roundTrip]);
console.log(`vision: ${Object.keys(visionTasks).length} tasks (${Object.keys(visionTasks).join(', ')}) make batches`);
