import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLabeledText } from './read-labeled-text.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'selfsup-labeled-text-'));
  mkdirSync(join(dir, 'labeled', 'press'), { recursive: true });
  mkdirSync(join(dir, 'labeled', 'learned'), { recursive: true });
  writeFileSync(
    join(dir, 'labeled', 'press', 'a.txt'),
    'The council met on Monday.\nIt voted twice.\n\nThe mayor spoke.\n',
  );
  writeFileSync(join(dir, 'labeled', 'learned', 'b.txt'), 'Entropy never decreases.\n');
  writeFileSync(join(dir, 'labeled', 'learned', 'c.md'), 'A proof follows.\nIt is short.\n');
});

describe('readLabeledText', () => {
  it('reads class folders: every document of a class’s files is an example, sorted folder names are the classes', async () => {
    expect(await readLabeledText(join(dir, 'labeled'))).toEqual({
      documents: [
        ['Entropy never decreases.'],
        ['A proof follows.', 'It is short.'],
        ['The council met on Monday.', 'It voted twice.'],
        ['The mayor spoke.'],
      ],
      labels: [0, 0, 1, 1],
      classes: ['learned', 'press'],
    });
    const files = await readLabeledText(join(dir, 'labeled'), { documents: 'file' });
    expect(files.documents).toHaveLength(3);
    expect(files.labels).toEqual([0, 0, 1]);
  });

  it('reads JSON Lines records of a text and a label, leaving empty texts out', async () => {
    writeFileSync(
      join(dir, 'reviews.jsonl'),
      [
        { text: 'A fine film.\nI liked it.', label: 'positive' },
        { text: 'Dull and long.', label: 'negative' },
        { text: 'Would watch again.', label: 'positive' },
        { text: '', label: 'negative' },
      ]
        .map((record) => JSON.stringify(record))
        .join('\n'),
    );
    expect(await readLabeledText(join(dir, 'reviews.jsonl'))).toEqual({
      documents: [['A fine film.', 'I liked it.'], ['Dull and long.'], ['Would watch again.']],
      labels: [1, 0, 1],
      classes: ['negative', 'positive'],
    });
    writeFileSync(join(dir, 'fields.jsonl'), '{"body": "one", "stars": 2}\n{"body": "two", "stars": 10}\n');
    expect(await readLabeledText(join(dir, 'fields.jsonl'), { textField: 'body', labelField: 'stars' })).toEqual({
      documents: [['one'], ['two']],
      labels: [0, 1],
      classes: ['2', '10'],
    });
  });

  it('names the path, and the line or class, when it cannot read labeled text', async () => {
    writeFileSync(join(dir, 'bad.jsonl'), '{"text": "no label"}\n');
    await expect(readLabeledText(join(dir, 'bad.jsonl'))).rejects.toThrow(
      `${join(dir, 'bad.jsonl')}: line 1: no string or number field 'label' (the class)`,
    );
    writeFileSync(join(dir, 'one.jsonl'), '{"text": "a", "label": "x"}\n');
    await expect(readLabeledText(join(dir, 'one.jsonl'))).rejects.toThrow('1 records in 1 class(es); need at least 2');
    await expect(readLabeledText(join(dir, 'none'))).rejects.toThrow(`${join(dir, 'none')}: does not exist`);
    await expect(readLabeledText(join(dir, 'labeled', 'press'))).rejects.toThrow(/no class sub-folders/);
    await expect(readLabeledText(join(dir, 'labeled', 'press', 'a.txt'))).rejects.toThrow(
      'not a folder or a .jsonl file',
    );
  });
});
