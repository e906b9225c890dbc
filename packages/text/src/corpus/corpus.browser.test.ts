// In Chromium: the corpus readers take File/Blob objects and URLs; the folder readers name the way.
import { describe, expect, it } from 'vitest';
import { readLabeledTextTrainTest } from './labeled-text-train-test.js';
import { readCorpus, readCorpusLines } from './read-corpus.js';
import { readJsonl } from './read-jsonl.js';
import { readLabeledText } from './read-labeled-text.js';
import { readLines } from './read-lines.js';
import { readTaggedCorpus } from './read-tagged-corpus.js';

/** A File as `<input type="file" webkitdirectory>` gives it: with its path inside the chosen folder. */
function folderFile(relativePath: string, text: string): File {
  const file = new File([text], relativePath.split('/').pop() as string);
  Object.defineProperty(file, 'webkitRelativePath', { value: relativePath });
  return file;
}

const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

describe('reading a corpus in a browser', () => {
  it('streams the lines of a File without BOM or \\r, and names it for bad UTF-8', async () => {
    const text = '\ufeffFirst line\r\nSecond — naïve\n\nlast';
    expect(await collect(readLines(new File([text], 'corpus.txt')))).toEqual([
      'First line',
      'Second — naïve',
      '',
      'last',
    ]);
    await expect(
      collect(readLines(new File([new Uint8Array([0x61, 0x0a, 0xe9, 0x0a])], 'latin1.txt'))),
    ).rejects.toThrow(/latin1\.txt: not valid UTF-8 at line 2 \(byte offset 2\)/);
    await expect(collect(readLines(new Blob(['  \n'])))).rejects.toThrow(
      'blob: the corpus is empty (no non-blank line)',
    );
  });

  it('reads the Files of a chosen folder as readCorpus reads a folder: sorted, filtered, documents at blank lines', async () => {
    const files = [
      folderFile('wiki/b.txt', 'Bee one.\nBee two.\n\nBee three.\n'),
      folderFile('wiki/a.jsonl', '{"text":"Ant one.\\nAnt two."}\n{"text":"Ant three."}\n'),
      folderFile('wiki/notes.csv', 'skipped,1\n'),
    ];
    const documents = await collect(readCorpus(files));
    expect(documents).toEqual([
      { source: 'wiki/a.jsonl:1', lines: ['Ant one.', 'Ant two.'] },
      { source: 'wiki/a.jsonl:2', lines: ['Ant three.'] },
      { source: 'wiki/b.txt', lines: ['Bee one.', 'Bee two.'] },
      { source: 'wiki/b.txt', lines: ['Bee three.'] },
    ]);
    expect(await collect(readCorpusLines(files.slice(0, 1), { documents: 'file' }))).toEqual([
      'Bee one.',
      'Bee two.',
      'Bee three.',
    ]);
    await expect(collect(readCorpus([files[2] as File]))).rejects.toThrow(
      /files: the corpus folder has no file ending in/,
    );
  });

  it('skips a chosen File that is not UTF-8 with onError skip, naming it; fails on it by default', async () => {
    const files = [
      folderFile('wiki/a.txt', 'Ant one.\n'),
      new File([new Uint8Array([0x42, 0x0a, 0xe9, 0x0a])], 'latin1.txt'),
    ];
    await expect(collect(readCorpus(files))).rejects.toThrow(
      /latin1\.txt: not valid UTF-8 at line 2 \(byte offset 2\)/,
    );
    const skipped: Array<{ path: string; reason: string }> = [];
    const documents = await collect(readCorpus(files, { onError: 'skip', onSkip: (file) => skipped.push(file) }));
    expect(documents).toEqual([{ source: 'wiki/a.txt', lines: ['Ant one.'] }]);
    expect(skipped).toEqual([
      { path: 'latin1.txt', reason: expect.stringMatching(/^not valid UTF-8 at line 2 \(byte offset 2\)/) },
    ]);
  });

  it('fetches a corpus URL and reads JSON Lines from a Blob', async () => {
    const url = URL.createObjectURL(new Blob(['One.\nTwo.\n']));
    expect(await collect(readCorpusLines(url))).toEqual(['One.', 'Two.']);
    URL.revokeObjectURL(url);
    expect(await collect(readJsonl(new File(['{"meta":{"body":"x"}}\n'], 'a.jsonl'), { field: 'meta.body' }))).toEqual([
      'x',
    ]);
    await expect(collect(readLines('/no/such/corpus.txt'))).rejects.toThrow(
      /\/no\/such\/corpus\.txt: cannot read the corpus file \(HTTP 404\)/,
    );
  });

  it('reads labeled JSON Lines from a File; folders throw naming the browser alternative', async () => {
    const records = ['{"text":"good film","label":"pos"}', '{"text":"bad film","label":"neg"}'].join('\n');
    expect(await readLabeledText(new File([records], 'reviews.jsonl'))).toEqual({
      documents: [['good film'], ['bad film']],
      labels: [1, 0],
      classes: ['neg', 'pos'],
    });
    await expect(readTaggedCorpus('brown')).rejects.toThrow(
      /readTaggedCorpus\('brown'\) lists a folder and is Node-only; in a browser/,
    );
    await expect(readLabeledText('reviews/')).rejects.toThrow(/reviews\/: not a folder or a \.jsonl file/);
  });

  it('splits labeled JSON Lines from a File for a probe, a seeded share of each class held out', async () => {
    const records = Array.from(
      { length: 8 },
      (_, i) => `{"text":"film ${i}","label":"${i % 2 === 0 ? 'pos' : 'neg'}"}`,
    );
    const sets = await readLabeledTextTrainTest({
      labels: new File([records.join('\n')], 'reviews.jsonl'),
      testFraction: 0.25,
      seed: 1,
    });
    expect(new Set(sets.test.labels)).toEqual(new Set([0, 1]));
    expect(sets.train.documents.length + sets.test.documents.length).toBe(8);
    expect(sets.description).toBe(
      'reviews.jsonl: 6 train / 2 test documents, 2 classes (a seeded 25 % of each class held out)',
    );
  });
});
