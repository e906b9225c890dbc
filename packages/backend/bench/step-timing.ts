import * as tf from '@tensorflow/tfjs';
import { createRng } from '../src/rng.js';
import { createReferenceNet, trainStep } from './reference-encoder.js';

/** The median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * Times the reference encoder's training step (`reference-encoder.ts`: the main job's CNN, NT-Xent,
 * Adam) on `batch` seeded 28×28×1 images on the current backend: one warm-up step, then the median
 * of `timedSteps`. Runs unchanged in Node and in a page (the browser bench bundles it); throws if a
 * step leaks tensors.
 */
export function stepSeconds(batch: number, timedSteps: number): { seconds: number; losses: number[] } {
  const net = createReferenceNet(0);
  const optimizer = tf.train.adam(1e-3);
  const images = createRng(1).uniformTensor([batch, 28, 28, 1]) as tf.Tensor4D;
  const losses: number[] = [];
  losses.push(trainStep(net, optimizer, images));
  const times: number[] = [];
  for (let i = 0; i < timedSteps; i++) {
    const start = performance.now();
    losses.push(trainStep(net, optimizer, images));
    times.push((performance.now() - start) / 1000);
  }
  const tensorsAfter = tf.memory().numTensors;
  trainStep(net, optimizer, images);
  if (tf.memory().numTensors !== tensorsAfter) throw new Error('the training step leaks tensors');
  net.dispose();
  optimizer.dispose();
  images.dispose();
  return { seconds: median(times), losses };
}
