// Run by scripts/pack-check.mjs in a scratch project that installed the packed tarball.
import { assertNoTensorLeak, createRng, initBackend, tf } from '@selfsup/backend';

const info = await initBackend({ log: false });
if (info.name !== 'wasm' || !info.trainingKernels)
  throw new Error(`expected wasm with training kernels, got ${JSON.stringify(info)}`);
const rng = createRng(0);
const x = rng.normalTensor([4, 8, 8, 1]);
const w = tf.variable(rng.normalTensor([3, 3, 1, 2], 0, 0.1));
const optimizer = tf.train.adam(0.05);
const loss = () => tf.mean(tf.square(tf.sub(tf.conv2d(x, w, 2, 'same'), 1)));
const first = tf.tidy(() => loss().dataSync()[0]);
tf.dispose(optimizer.minimize(loss, true)); // creates Adam's slot variables, which live on
await assertNoTensorLeak('training step', () => {
  for (let i = 0; i < 20; i++) tf.dispose(optimizer.minimize(loss, true));
});
const last = tf.tidy(() => loss().dataSync()[0]);
if (!(last < first)) throw new Error(`loss did not go down: ${first} -> ${last}`);
console.log(`backend ${info.name}, conv loss ${first.toFixed(4)} -> ${last.toFixed(4)}`);
