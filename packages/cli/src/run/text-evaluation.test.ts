import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertNoTensorLeak, initBackend } from '@selfsup/backend';
import { createTextTransformer } from '@selfsup/models';
import { readLabeledText, trainTokenizer } from '@selfsup/text';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeLabeledText } from '../../../text/src/test-brown.js';
import { evaluateTextEncoder, textEvaluationSets } from './text-evaluation.js';

let dir: string;

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
  dir = mkdtempSync(join(tmpdir(), 'selfsup-text-evaluation-'));
  makeLabeledText(join(dir, 'labeled'), { genres: { press: 'ca', learned: 'cj' }, files: 1, sentences: 12 });
});

describe('text evaluation', () => {
  it('holds out part of every class, and probes an encoder beside random-init and bag-of-words without leaking', async () => {
    const sets = await textEvaluationSets({ labels: join(dir, 'labeled'), testFraction: 0.25, seed: 1 });
    expect(sets.classes).toBe(2);
    expect(new Set(sets.test.labels)).toEqual(new Set([0, 1]));
    expect(sets.train.documents.length + sets.test.documents.length).toBe(
      (await readLabeledText(join(dir, 'labeled'))).documents.length,
    );
    const tokenizer = await trainTokenizer([...sets.train.documents.flat(), ...sets.test.documents.flat()], {
      vocabSize: 300,
    });
    const encoder = createTextTransformer({
      vocabSize: tokenizer.vocabSize,
      maxLength: 24,
      dim: 16,
      heads: 2,
      depth: 1,
    });
    const rows = await assertNoTensorLeak('evaluateTextEncoder', () =>
      evaluateTextEncoder(encoder, {
        tokenizer,
        sequenceLength: 24,
        train: sets.train,
        test: sets.test,
        classes: sets.classes,
        probeEpochs: 3,
        knnK: 5,
      }),
    );
    expect(rows.map((row) => [row.features, row.dimension])).toEqual([
      ['pretrained', 16],
      ['random-init', 16],
      ['bag-of-words', expect.any(Number)],
    ]);
    for (const row of rows) {
      expect(row.knnAccuracy).toBeGreaterThanOrEqual(0);
      expect(row.knnAccuracy).toBeLessThanOrEqual(1);
    }
    encoder.dispose();
  }, 60_000);
});
