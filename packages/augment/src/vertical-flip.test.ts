import { createRng, initBackend, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { values } from './test-helpers.js';
import { verticalFlip } from './vertical-flip.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

// The statistical checks of both flips live in horizontal-flip.test.ts.
describe('verticalFlip', () => {
  it('with p = 1 turns rows upside down; with p = 0 leaves the batch as it is', () => {
    const image = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 3, 2, 1]);
    const out = verticalFlip({ p: 1 })(image, createRng(0));
    expect(values(out)).toEqual([5, 6, 3, 4, 1, 2]);
    const same = verticalFlip({ p: 0 })(image, createRng(0));
    expect(values(same)).toEqual([1, 2, 3, 4, 5, 6]);
    tf.dispose([image, out, same]);
  });
});
