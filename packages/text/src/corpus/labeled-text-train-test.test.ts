import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeLabeledText } from '../test-brown.js';
import { readLabeledTextTrainTest } from './labeled-text-train-test.js';
import { readLabeledText } from './read-labeled-text.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'selfsup-labeled-text-'));
  makeLabeledText(join(dir, 'labeled'), { genres: { press: 'ca', learned: 'cj' }, files: 1, sentences: 12 });
  makeLabeledText(join(dir, 'held'), { genres: { press: 'ca', learned: 'cj' }, files: 1, sentences: 12, offset: 1 });
  makeLabeledText(join(dir, 'other'), { genres: { press: 'ca', fiction: 'cn' }, files: 1, sentences: 12 });
});

describe('readLabeledTextTrainTest', () => {
  it('holds out a seeded part of every class, the same for the same seed', async () => {
    const sets = await readLabeledTextTrainTest({ labels: join(dir, 'labeled'), testFraction: 0.25, seed: 1 });
    expect(sets.classes).toBe(2);
    expect(new Set(sets.test.labels)).toEqual(new Set([0, 1]));
    expect(sets.train.documents.length + sets.test.documents.length).toBe(
      (await readLabeledText(join(dir, 'labeled'))).documents.length,
    );
    expect(sets.description).toMatch(
      /train \/ \d+ test documents, 2 classes \(a seeded 25 % of each class held out\)$/,
    );
    const again = await readLabeledTextTrainTest({ labels: join(dir, 'labeled'), testFraction: 0.25, seed: 1 });
    expect(again.test.labels).toEqual(sets.test.labels);
  });

  it('takes testLabels as the test side, and names both when their classes differ', async () => {
    const sets = await readLabeledTextTrainTest({
      labels: join(dir, 'labeled'),
      testLabels: join(dir, 'held'),
      testFraction: 0.25,
      seed: 1,
    });
    expect(sets.description).toContain(`(test: ${join(dir, 'held')})`);
    await expect(
      readLabeledTextTrainTest({
        labels: join(dir, 'labeled'),
        testLabels: join(dir, 'other'),
        testFraction: 0.25,
        seed: 1,
      }),
    ).rejects.toThrow(
      /test labels .*other: classes \[fiction, press\] differ from those of .*labeled \[learned, press\]/,
    );
    await expect(
      readLabeledTextTrainTest({ labels: join(dir, 'missing'), testFraction: 0.25, seed: 1 }),
    ).rejects.toThrow(/^labels /);
  });
});
