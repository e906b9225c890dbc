import { assertNoTensorLeak, initBackend } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batched,
  type Dataset,
  fromSource,
  mapped,
  prefetched,
  rangeDataset,
  shuffled,
  trainTestSplit,
} from './dataset.js';
import { loadIdxImages } from './fashion-mnist.js';
import { imageBatch, selectImages } from './image-batch.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe('dataset pipeline', () => {
  it('shuffles into a permutation that is the same per (seed, epoch) and differs across epochs', async () => {
    const data = shuffled(rangeDataset(100), { seed: 7 });
    const epoch0 = await collect(data.iterate(0));
    expect([...epoch0].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    expect(await collect(data.iterate(0))).toEqual(epoch0);
    expect(await collect(data.iterate(1))).not.toEqual(epoch0);
    expect(await collect(shuffled(rangeDataset(100), { seed: 8 }).iterate(0))).not.toEqual(epoch0);
  });

  it('shuffles streams through a buffer without losing items', async () => {
    const stream = fromSource(async function* () {
      for (let i = 0; i < 50; i++) yield i;
    });
    const items = await collect(shuffled(stream, { seed: 1, bufferSize: 8 }).iterate(0));
    expect([...items].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(items).not.toEqual([...Array(50).keys()]);
  });

  it('batches with and without the remainder and knows the batch count', async () => {
    expect(await collect(batched(rangeDataset(5), 2).iterate(0))).toEqual([[0, 1], [2, 3], [4]]);
    const dropping = batched(rangeDataset(5), 2, { dropRemainder: true });
    expect(dropping.size).toBe(2);
    expect(await collect(dropping.iterate(0))).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(() => batched(rangeDataset(5), 0)).toThrow(/positive integer/);
  });

  it('prefetches ahead: `depth` items are requested before the first is ready, one more per item taken', async () => {
    // A source whose items are ready only when the test says so: no clock, the order is the test's.
    const waiting: Array<() => void> = [];
    let requests = 0;
    const source: Dataset<number> = {
      size: 6,
      iterate: () => ({
        [Symbol.asyncIterator]: () => ({
          next: () => {
            const index = requests++;
            return new Promise<IteratorResult<number>>((resolve) => {
              waiting.push(() =>
                resolve(index < 6 ? { value: index * 10, done: false } : { value: undefined, done: true }),
              );
            });
          },
        }),
      }),
    };
    const iterator = prefetched(source, 3).iterate(0)[Symbol.asyncIterator]();
    const first = iterator.next();
    expect(requests).toBe(3);
    waiting.shift()?.();
    expect(await first).toEqual({ value: 0, done: false });
    expect(requests).toBe(4); // the consumer holds item 0 while items 1-3 are being prepared
    const values = [0];
    for (;;) {
      for (const ready of waiting.splice(0)) ready();
      const next = await iterator.next();
      if (next.done) break;
      values.push(next.value);
    }
    expect(values).toEqual([0, 10, 20, 30, 40, 50]);
    // The usual composition: an asynchronous `mapped` preparation, prefetched.
    const prepared = prefetched(
      mapped(rangeDataset(6), async (i) => i * 10),
      3,
    );
    expect(await collect(prepared.iterate(0))).toEqual([0, 10, 20, 30, 40, 50]);
  });

  it('splits indices reproducibly and disjointly', () => {
    const { train, test } = trainTestSplit(100, { testFraction: 0.2, seed: 3 });
    expect(test).toHaveLength(20);
    expect(new Set([...train, ...test]).size).toBe(100);
    expect(trainTestSplit(100, { testFraction: 0.2, seed: 3 }).test).toEqual(test);
    expect(() => trainTestSplit(10, { testFraction: 1, seed: 0 })).toThrow(/in \(0, 1\)/);
  });

  it('gathers image batches in [0, 1] without leaking', async () => {
    const set = await loadIdxImages({ split: 'test' });
    const { images, labels } = imageBatch(set, [0, 5, 7]);
    expect(images.shape).toEqual([3, 28, 28, 1]);
    expect(Array.from(labels.dataSync())).toEqual([set.labels[0], set.labels[5], set.labels[7]]);
    const max = images.max().dataSync()[0] as number;
    expect(max).toBeLessThanOrEqual(1);
    expect(max).toBeGreaterThan(0.5);
    images.dispose();
    labels.dispose();
    await assertNoTensorLeak('imageBatch', () => imageBatch(set, [1, 2]));
    expect(() => imageBatch(set, [1000])).toThrow('imageBatch: index 1000 is outside the 1000 images');
    expect(selectImages(set, [3, 4]).count).toBe(2);
  });

  it('gathers and selects RGB images (channels: 3) pixel for pixel', () => {
    // 3 images of 2×1 pixels, 3 channels: image i holds values 10i … 10i + 5.
    const images = Uint8Array.from({ length: 18 }, (_, k) => 10 * Math.floor(k / 6) + (k % 6));
    const set = { images, labels: Uint8Array.from([0, 1, 2]), count: 3, height: 2, width: 1, channels: 3 };
    const picked = selectImages(set, [2, 0]);
    expect(picked).toMatchObject({ count: 2, channels: 3 });
    expect(Array.from(picked.images)).toEqual([20, 21, 22, 23, 24, 25, 0, 1, 2, 3, 4, 5]);
    const batch = imageBatch(set, [1]);
    expect(batch.images.shape).toEqual([1, 2, 1, 3]);
    expect(Array.from(batch.images.dataSync()).map((v) => Math.round(v * 255))).toEqual([10, 11, 12, 13, 14, 15]);
    batch.images.dispose();
    batch.labels.dispose();
  });
});
