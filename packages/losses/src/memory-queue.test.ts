import { assertNoTensorLeak, createRng, type Tensor2D, tf } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryQueue } from './memory-queue.js';
import { useWasm } from './test-inputs.js';

beforeAll(useWasm);

/** Keys [count, 2] whose rows are [id, −id], ids first, first + 1, … */
const keysFrom = (first: number, count: number) =>
  tf.tensor2d(
    Array.from({ length: count }, (_, i) => [first + i, -(first + i)]),
    [count, 2],
  ) as Tensor2D;

/** The ids held, in slot order. */
function ids(queue: MemoryQueue): number[] {
  const keys = queue.keys();
  const values = Array.from(keys.dataSync()).filter((_, i) => i % 2 === 0);
  keys.dispose();
  return values;
}

function add(queue: MemoryQueue, first: number, count: number): void {
  const keys = keysFrom(first, count);
  queue.enqueue(keys);
  keys.dispose();
}

describe('MemoryQueue', () => {
  it('fills in order, then overwrites the oldest keys (FIFO), wrapping around', () => {
    const queue = new MemoryQueue(5, 2);
    expect(ids(queue)).toEqual([]);
    add(queue, 1, 2);
    expect([queue.filled, queue.pointer]).toEqual([2, 2]);
    expect(ids(queue)).toEqual([1, 2]);
    add(queue, 3, 2);
    expect(ids(queue)).toEqual([1, 2, 3, 4]);
    add(queue, 5, 3); // 5 fills slot 4; 6 and 7 wrap onto slots 0 and 1 (replacing 1 and 2, the oldest)
    expect([queue.filled, queue.pointer]).toEqual([5, 2]);
    expect(ids(queue)).toEqual([6, 7, 3, 4, 5]);
    add(queue, 8, 5); // exactly the size: every slot, from the pointer on
    expect(ids(queue)).toEqual([11, 12, 8, 9, 10]);
    add(queue, 13, 7); // larger than the queue: its last 5 keys (15…19), from slot 2
    expect(ids(queue)).toEqual([18, 19, 15, 16, 17]);
    expect(queue.pointer).toBe(2);
    add(queue, 20, 0); // an empty batch changes nothing
    expect(ids(queue)).toEqual([18, 19, 15, 16, 17]);
    queue.dispose();
  });

  it('keeps the newest `size` keys: after any sequence, the set held is the last `size` enqueued', () => {
    const rng = createRng(3);
    const queue = new MemoryQueue(7, 2);
    const history: number[] = [];
    let next = 1;
    for (let step = 0; step < 50; step++) {
      const count = rng.int(5);
      add(queue, next, count);
      for (let i = 0; i < count; i++) history.push(next + i);
      next += count;
      expect(queue.filled).toBe(Math.min(7, history.length));
      expect([...ids(queue)].sort((a, b) => a - b)).toEqual(history.slice(-7));
    }
    queue.dispose();
  });

  it('copies keys (the caller may dispose them) and stores no gradient path', () => {
    const queue = new MemoryQueue(4, 2);
    const keys = keysFrom(1, 2);
    queue.enqueue(keys);
    keys.dispose();
    expect(ids(queue)).toEqual([1, 2]);
    queue.dispose();
  });

  it('never holds more than its size and leaks nothing over 1000 enqueues', async () => {
    const queue = new MemoryQueue(64, 8);
    const batch = tf.ones([24, 8]) as Tensor2D;
    const before = tf.memory().numTensors;
    await assertNoTensorLeak('1000 enqueues', () => {
      for (let i = 0; i < 1000; i++) {
        queue.enqueue(batch);
        if (queue.filled > queue.size) throw new Error(`holds ${queue.filled} > ${queue.size}`);
      }
    });
    const keys = queue.keys();
    expect(keys.shape).toEqual([64, 8]);
    keys.dispose();
    await assertNoTensorLeak('keys()', () => queue.keys());
    expect(tf.memory().numTensors).toBe(before);
    batch.dispose();
    queue.dispose();
    expect(tf.memory().numTensors).toBe(before - 2); // the batch and the queue's one buffer
  });

  it('saves and restores its state exactly (plain, JSON-safe numbers); a restored queue continues identically', () => {
    const queue = new MemoryQueue(4, 2);
    add(queue, 1, 3);
    const state = JSON.parse(JSON.stringify(queue.state())) as ReturnType<MemoryQueue['state']>;
    expect(state).toEqual({ keys: [1, -1, 2, -2, 3, -3, 0, 0], pointer: 3, filled: 3 });
    const copy = new MemoryQueue(4, 2);
    copy.restore(state);
    for (const q of [queue, copy]) add(q, 10, 3);
    expect(ids(copy)).toEqual(ids(queue));
    expect(copy.state()).toEqual(queue.state());
    // Float32Array keys (what a tensor checkpoint gives back) are accepted too.
    copy.restore({ ...queue.state(), keys: Float32Array.from(queue.state().keys) });
    expect(copy.state()).toEqual(queue.state());
    queue.dispose();
    copy.dispose();
  });

  it("can start full of random unit keys (MoCo's initialization)", () => {
    const queue = new MemoryQueue(16, 4, { randomInit: createRng(1) });
    expect(queue.filled).toBe(16);
    const norms = tf.tidy(() => Array.from(tf.norm(queue.keys(), 'euclidean', 1).dataSync()));
    for (const norm of norms) expect(norm).toBeCloseTo(1, 5);
    queue.dispose();
  });

  it('rejects bad keys, states and sizes, and use after dispose, with clear errors', () => {
    const queue = new MemoryQueue(4, 2);
    const wrong = tf.zeros([2, 3]) as Tensor2D;
    expect(() => queue.enqueue(wrong)).toThrow('MemoryQueue.enqueue: keys must be [batch, 2]; got [2,3]');
    expect(() => queue.enqueue(tf.zeros([2, 2], 'int32') as Tensor2D)).toThrow(
      'MemoryQueue.enqueue: keys must be float32; got int32',
    );
    expect(() => new MemoryQueue(8, 2).restore(queue.state())).toThrow(
      'MemoryQueue.restore: the state holds 8 values; this queue holds 8×2 = 16',
    );
    expect(() => queue.restore({ keys: new Array(8).fill(0), pointer: 1, filled: 3 })).toThrow(
      'MemoryQueue.restore: inconsistent state (pointer 1, filled 3, size 4)',
    );
    expect(() => queue.restore({ keys: new Array(8).fill(0), pointer: 4, filled: 4 })).toThrow(/inconsistent state/);
    expect(() => new MemoryQueue(0, 2)).toThrow('MemoryQueue: size and dim must be positive integers; got 0 and 2');
    queue.dispose();
    queue.dispose();
    expect(() => queue.keys()).toThrow('MemoryQueue.keys: the queue was disposed');
    tf.dispose(wrong);
  });
});
