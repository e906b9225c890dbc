import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { embeddedFashionMnistDir } from './fashion-mnist.js';
import { readLabeledTrainTest } from './labeled-train-test.js';

const testImages = resolve(dirname(fileURLToPath(import.meta.url)), '../../augment/test-data/images');
let dir: string;

/** A class-per-folder directory: `classes` maps a class to its number of images. */
function labeledFolder(name: string, classes: Record<string, number>): string {
  for (const [label, count] of Object.entries(classes)) {
    mkdirSync(join(dir, name, label), { recursive: true });
    for (let i = 0; i < count; i += 1) cpSync(join(testImages, 'gradient.png'), join(dir, name, label, `${i}.png`));
  }
  return join(dir, name);
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
  dir = mkdtempSync(join(tmpdir(), 'labeled-train-test-'));
});

describe('readLabeledTrainTest', () => {
  const options = { size: [4, 4] as [number, number], channels: 1 as const };

  it('holds out a seeded fraction of the labels, or takes held-out labels of the same classes', async () => {
    const labels = labeledFolder('train', { ant: 5, bee: 5 });
    const split = await readLabeledTrainTest({ labels, testFraction: 0.2, seed: 1 }, options);
    expect([split.train.count, split.test.count, split.classes]).toEqual([8, 2, 2]);
    expect(split.description).toBe(`${labels}: 8 train / 2 test images, 2 classes (a seeded 20 % held out)`);
    const again = await readLabeledTrainTest({ labels, testFraction: 0.2, seed: 1 }, options);
    expect(Array.from(again.test.labels)).toEqual(Array.from(split.test.labels));

    const testLabels = labeledFolder('test', { ant: 1, bee: 2 });
    const held = await readLabeledTrainTest({ labels, testLabels, testFraction: 0.2, seed: 1 }, options);
    expect([held.train.count, held.test.count]).toEqual([10, 3]);
    expect(held.description).toContain(`(test: ${testLabels})`);
  });

  it('takes an IDX directory’s own test split', async () => {
    const split = await readLabeledTrainTest(
      { labels: embeddedFashionMnistDir(), testFraction: 0.2, seed: 0 },
      { size: [28, 28], channels: 1 },
    );
    expect(split.classes).toBe(10);
    expect(split.description).toContain('(test: its t10k split)');
  });

  it('names the labels that cannot be used', async () => {
    const labels = labeledFolder('few', { ant: 1, bee: 2 });
    await expect(readLabeledTrainTest({ labels, testFraction: 0.2, seed: 0 }, options)).rejects.toThrow(
      `labels ${labels}: 3 images are too few to split`,
    );
    const other = labeledFolder('other', { cat: 2, dog: 2 });
    await expect(
      readLabeledTrainTest({ labels: other, testLabels: labels, testFraction: 0.2, seed: 0 }, options),
    ).rejects.toThrow(`test labels ${labels}: classes [ant, bee] differ from those of ${other} [cat, dog]`);
    await expect(
      readLabeledTrainTest({ labels: join(dir, 'missing'), testFraction: 0.2, seed: 0 }, options),
    ).rejects.toThrow(/^labels /);
  });
});
