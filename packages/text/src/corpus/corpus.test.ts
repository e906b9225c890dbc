import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_EXTENSIONS, readCorpus, readCorpusLines } from './read-corpus.js';
import { readJsonl } from './read-jsonl.js';
import { readLines } from './read-lines.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'selfsup-corpus-'));
async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('readLines', () => {
  it('streams lines without BOM or \\r, across chunk boundaries that split a character', async () => {
    const dir = scratch();
    const path = join(dir, 'big.txt');
    // ~1.5 MB so the 1 MB chunks split lines and multi-byte characters.
    const line = 'naïve café — 🙂 Grand Jury said';
    const lines = Array.from({ length: 40_000 }, (_, i) => `${i} ${line}`);
    writeFileSync(path, `\uFEFF${lines.join('\r\n')}\r\n`);
    const read = await collect(readLines(path));
    expect(read.length).toBe(40_000);
    expect(read).toEqual(lines);
    const inner = join(dir, 'inner-bom.txt');
    writeFileSync(inner, 'a\n\uFEFFb');
    expect(await collect(readLines(inner))).toEqual(['a', '\uFEFFb']);
  });

  it('names the file, line and byte offset of invalid UTF-8, and rejects empty files', async () => {
    const dir = scratch();
    const latin1 = join(dir, 'latin1.txt');
    writeFileSync(latin1, Buffer.concat([Buffer.from('first line\nsecond '), Buffer.from([0xe9]), Buffer.from('t\n')]));
    await expect(collect(readLines(latin1))).rejects.toThrow(
      `${latin1}: not valid UTF-8 at line 2 (byte offset 18); the corpus must be UTF-8 text`,
    );
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '\n  \n\n');
    await expect(collect(readLines(empty))).rejects.toThrow(`${empty}: the corpus is empty (no non-blank line)`);
    expect(await collect(readLines(empty, { allowEmpty: true }))).toEqual(['', '  ', '']);
    await expect(collect(readLines(join(dir, 'nope.txt')))).rejects.toThrow(
      /nope\.txt: cannot read the corpus file \(ENOENT\)/,
    );
    await expect(collect(readLines(dir))).rejects.toThrow(/cannot read the corpus file \(it is a directory\)/);
  });
});

describe('readJsonl', () => {
  it('reads a field (dotted paths reach nested ones) and names bad lines', async () => {
    const dir = scratch();
    const path = join(dir, 'docs.jsonl');
    writeFileSync(path, '{"text": "one"}\n\n{"text": "two", "id": 2}\n');
    expect(await collect(readJsonl(path))).toEqual(['one', 'two']);
    const nested = join(dir, 'nested.jsonl');
    writeFileSync(nested, '{"meta": {"body": "deep"}}\n');
    expect(await collect(readJsonl(nested, { field: 'meta.body' }))).toEqual(['deep']);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"text": "ok"}\n{"text": 3}\n');
    await expect(collect(readJsonl(bad))).rejects.toThrow(
      `${bad}:2: the record has no string field 'text' (it is number)`,
    );
    writeFileSync(bad, '{"text": "ok"}\n{"text": \n');
    await expect(collect(readJsonl(bad))).rejects.toThrow(new RegExp(`${bad}:2: not valid JSON`));
    writeFileSync(bad, '\n\n');
    await expect(collect(readJsonl(bad))).rejects.toThrow(`${bad}: the corpus is empty (no JSON record)`);
  });
});

describe('readCorpus', () => {
  it('reads documents from text files (blank-line separated), JSON Lines and folders, in sorted order', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a.txt'), 'Doc one, line one.\nDoc one, line two.\n\n\nDoc two.\n');
    writeFileSync(join(dir, 'b', 'c.jsonl'), '{"text": "Record one.\\nSecond line."}\n{"text": "   "}\n');
    writeFileSync(join(dir, 'ignored.csv'), 'x,y\n');
    const documents = await collect(readCorpus(dir));
    expect(documents).toEqual([
      { source: join(dir, 'a.txt'), lines: ['Doc one, line one.', 'Doc one, line two.'] },
      { source: join(dir, 'a.txt'), lines: ['Doc two.'] },
      { source: `${join(dir, 'b', 'c.jsonl')}:1`, lines: ['Record one.', 'Second line.'] },
    ]);
    const whole = await collect(readCorpus(join(dir, 'a.txt'), { documents: 'file' }));
    expect(whole).toHaveLength(1);
    expect(await collect(readCorpusLines(dir))).toHaveLength(5);
  });

  it('finds text files whatever the case of their ending, and reads nothing else of a mixed folder', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'photos'));
    writeFileSync(join(dir, 'NOTES.TXT'), 'Upper-case ending.\n');
    writeFileSync(join(dir, 'Records.JSONL'), '{"text": "A record."}\n');
    writeFileSync(join(dir, 'photos', 'cat.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(await collect(readCorpus(dir))).toEqual([
      { source: join(dir, 'NOTES.TXT'), lines: ['Upper-case ending.'] },
      { source: `${join(dir, 'Records.JSONL')}:1`, lines: ['A record.'] },
    ]);
    expect(CORPUS_EXTENSIONS).toEqual(['.txt', '.text', '.md', '.jsonl']);
  });

  it('rejects a missing path, a folder without text files and a corpus without text', async () => {
    const dir = scratch();
    await expect(collect(readCorpus(join(dir, 'missing')))).rejects.toThrow(
      /missing: no such corpus file or folder \(ENOENT\)/,
    );
    await expect(collect(readCorpus(dir))).rejects.toThrow(
      `${dir}: the corpus folder has no file ending in .txt, .text, .md, .jsonl`,
    );
    writeFileSync(join(dir, 'blank.txt'), '\n\n');
    await expect(collect(readCorpus(dir))).rejects.toThrow(
      `${dir}: the corpus is empty (no non-blank text in 1 file(s))`,
    );
  });
});

describe('readCorpus with a file that is not UTF-8', () => {
  it('fails the corpus by default (strict); with onError skip leaves the whole file out and names it with the reason', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a.txt'), 'Ant one.\n\nAnt two.\n');
    // Valid lines first: a skipped file gives none of its documents, not just those before the bad byte.
    writeFileSync(
      join(dir, 'b.txt'),
      Buffer.concat([Buffer.from('Bee one.\n\nBee '), Buffer.from([0xe9]), Buffer.from('\n')]),
    );
    writeFileSync(join(dir, 'c.jsonl'), '{"text": "Cat one."}\n');
    await expect(collect(readCorpus(dir))).rejects.toThrow(
      `${join(dir, 'b.txt')}: not valid UTF-8 at line 3 (byte offset 14)`,
    );
    const skipped: Array<{ path: string; reason: string }> = [];
    const documents = await collect(readCorpus(dir, { onError: 'skip', onSkip: (file) => skipped.push(file) }));
    expect(documents.map((document) => document.lines)).toEqual([['Ant one.'], ['Ant two.'], ['Cat one.']]);
    expect(skipped).toEqual([
      {
        path: join(dir, 'b.txt'),
        reason:
          'not valid UTF-8 at line 3 (byte offset 14); the corpus must be UTF-8 text — convert it first, e.g. iconv -f latin1 -t utf-8',
      },
    ]);
    // Nothing readable left: the error counts the skipped files.
    const bad = scratch();
    writeFileSync(join(bad, 'only.txt'), Buffer.from([0xff, 0x0a]));
    await expect(collect(readCorpus(bad, { onError: 'skip', onSkip: () => {} }))).rejects.toThrow(
      `${bad}: the corpus is empty (no non-blank text in 1 file(s), 1 skipped as unreadable)`,
    );
    await expect(collect(readCorpus(bad, { onError: 'ignore' as 'skip' }))).rejects.toThrow(
      "readCorpus: onError must be 'throw' or 'skip'; got ignore",
    );
  });
});

describe('File and Blob sources (what a browser passes), in Node', () => {
  it('reads a large File as its path is read, and the Files of a folder as the folder', async () => {
    const dir = scratch();
    const lines = Array.from({ length: 40_000 }, (_, i) => `${i} naïve café — 🙂`);
    writeFileSync(join(dir, 'big.txt'), `\uFEFF${lines.join('\r\n')}\r\n`);
    const file = new File([readFileSync(join(dir, 'big.txt'))], 'big.txt');
    expect(await collect(readLines(file))).toEqual(await collect(readLines(join(dir, 'big.txt'))));
    writeFileSync(join(dir, 'a.jsonl'), '{"text":"Ant one.\\nAnt two."}\n');
    const files = ['big.txt', 'a.jsonl'].map((name) => new File([readFileSync(join(dir, name))], name));
    const fromFiles = await collect(readCorpus(files));
    const fromFolder = await collect(readCorpus(dir));
    expect(fromFiles.map((d) => d.lines)).toEqual(fromFolder.map((d) => d.lines));
    expect(fromFiles.map((d) => d.source)).toEqual(['a.jsonl:1', 'big.txt']);
    await expect(collect(readLines(new Blob([new Uint8Array([0x61, 0x0a, 0xff])])))).rejects.toThrow(
      /blob: not valid UTF-8 at line 2 \(byte offset 2\)/,
    );
  });
});
