// Run by scripts/pack-check.mjs in a scratch project that installed the packed tarballs.
import { createRng, initBackend, tf } from '@selfsup/backend';
import { MemoryQueue, ntXent, vicreg } from '@selfsup/losses';

await initBackend({ log: false });
const rng = createRng(0);
const z1 = rng.normalTensor([16, 8]);
const z2 = rng.normalTensor([16, 8]);
const loss = ntXent(z1, z2, { temperature: 0.5 }).dataSync()[0];
const terms = vicreg(z1, z2);
const queue = new MemoryQueue(32, 8);
queue.enqueue(z1);
if (!Number.isFinite(loss) || queue.filled !== 16) throw new Error('losses smoke failed');
tf.dispose([z1, z2, terms.loss, terms.invariance, terms.variance, terms.covariance]);
queue.dispose();
console.log(`losses: ntXent ${loss.toFixed(4)} on a random batch`);
