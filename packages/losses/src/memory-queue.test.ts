import { assertNoTensorLeak, initBackend, type Tensor2D, tf, variableFromTensor } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryQueue } from './memory-queue.js';
import { cosineMomentum, momentumUpdate } from './momentum-update.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

/** Keys [count, 2] whose rows are [id, id]. */
const keysFrom = (first: number, count: number) =>
  tf.tensor2d(Array.from({ length: count }, (_, i) => [first + i, first + i]));

function ids(queue: MemoryQueue): number[] {
  const keys = queue.keys();
  const values = Array.from(keys.dataSync()).filter((_, i) => i % 2 === 0);
  keys.dispose();
  return values;
}

describe('MemoryQueue', () => {
  it('fills, then overwrites the oldest keys in FIFO order, wrapping around', () => {
    const queue = new MemoryQueue(5, 2);
    const add = (first: number, count: number) => {
      const k = keysFrom(first, count);
      queue.enqueue(k as Tensor2D);
      k.dispose();
    };
    add(1, 2);
    expect(queue.filled).toBe(2);
    expect(ids(queue)).toEqual([1, 2]);
    add(3, 2);
    expect(ids(queue)).toEqual([1, 2, 3, 4]);
    add(5, 3); // 5 fills slot 4, 6 and 7 wrap onto slots 0 and 1
    expect(queue.filled).toBe(5);
    expect(ids(queue)).toEqual([6, 7, 3, 4, 5]);
    add(8, 7); // larger than the queue: its last 5 keys
    expect(ids(queue)).toEqual([13, 14, 10, 11, 12]); // 10…14 written from slot 2 on, wrapping
    queue.dispose();
  });

  it('never holds more than its size and leaks nothing over 1000 enqueues', async () => {
    const queue = new MemoryQueue(64, 8);
    const batch = tf.ones([24, 8]) as Tensor2D;
    await assertNoTensorLeak('1000 enqueues', () => {
      for (let i = 0; i < 1000; i++) queue.enqueue(batch);
    });
    expect(queue.filled).toBe(64);
    const keys = queue.keys();
    expect(keys.shape).toEqual([64, 8]);
    keys.dispose();
    batch.dispose();
    queue.dispose();
  });

  it('saves and restores its state exactly, and rejects bad keys', () => {
    const queue = new MemoryQueue(4, 2);
    const k = keysFrom(1, 3);
    queue.enqueue(k as Tensor2D);
    const state = queue.state();
    const copy = new MemoryQueue(4, 2);
    copy.restore(state);
    queue.enqueue(k as Tensor2D);
    copy.enqueue(k as Tensor2D);
    expect(ids(copy)).toEqual(ids(queue));
    expect(() => queue.enqueue(tf.zeros([2, 3]) as Tensor2D)).toThrow(
      'MemoryQueue.enqueue: keys must be [batch, 2]; got [2,3]',
    );
    expect(() => new MemoryQueue(8, 2).restore(state)).toThrow(/holds 8 values, this queue 8×2/);
    expect(() => new MemoryQueue(0, 2)).toThrow(/positive integers/);
    tf.dispose(k);
    queue.dispose();
    copy.dispose();
  });
});

describe('momentum (EMA) updates', () => {
  it('moves targets toward the online weights in place, without leaks', async () => {
    const target = [variableFromTensor(tf.tensor1d([0, 0])), variableFromTensor(tf.tensor2d([[1]]))];
    const online = [variableFromTensor(tf.tensor1d([1, 2])), variableFromTensor(tf.tensor2d([[3]]))];
    await assertNoTensorLeak('momentumUpdate', () => momentumUpdate(target, online, 0.9));
    expect(Array.from(target[0]?.dataSync() ?? [])).toEqual([0.1, 0.2].map(Math.fround));
    expect(target[1]?.dataSync()[0]).toBeCloseTo(1.2, 6);
    expect(() => momentumUpdate(target, online.slice(0, 1), 0.9)).toThrow(
      'momentumUpdate: 2 target variables but 1 online variables',
    );
    expect(() => momentumUpdate(target, online, 1.5)).toThrow(/\[0, 1\]/);
    tf.dispose([...target, ...online]);
  });

  it("follows BYOL's cosine schedule from the base momentum to 1", () => {
    expect(cosineMomentum(0.996, 0, 100)).toBeCloseTo(0.996, 10);
    expect(cosineMomentum(0.996, 50, 100)).toBeCloseTo(0.998, 10);
    expect(cosineMomentum(0.996, 100, 100)).toBeCloseTo(1, 10);
  });
});
