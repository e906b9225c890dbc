import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@selfsup/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTextCorpus } from '../../../text/src/test-brown.js';
import { CliError } from '../cli-error.js';
import { overridesFromFlags } from '../commands/pretrain-command.js';
import { configShape } from '../config/config-shape.js';
import { loadRunConfig } from '../config/load-config.js';
import { createRegistries } from '../registries/registries.js';
import { loadTextCorpusData } from './text-corpus-data.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

type TextCorpusConfig = Parameters<typeof loadTextCorpusData>[0];
const request = { taskId: 'bert-mlm', taskOptions: {}, inputs: { samples: 'packed' as const } };

/** A corpus folder of Brown documents and one Latin-1 file among them. */
function corpusWithLatin1(): string {
  const dir = makeTextCorpus(mkdtempSync(join(tmpdir(), 'selfsup-text-data-')), { files: 2, split: true });
  writeFileSync(join(dir, 'latin1.txt'), Buffer.concat([Buffer.from('Caf'), Buffer.from([0xe9]), Buffer.from('.\n')]));
  return dir;
}

function textData(path: string, fields: Record<string, unknown> = {}): TextCorpusConfig {
  const { data } = configShape.parse({
    data: { kind: 'text-corpus', path, sequenceLength: 32, batchSize: 4, tokenizer: { vocabSize: 200 }, ...fields },
  });
  return data as TextCorpusConfig;
}

describe('loadTextCorpusData', () => {
  it('skips a file that is not UTF-8 and reports it (log, skipped, description); data.onError throw stops on it', async () => {
    const dir = corpusWithLatin1();
    const lines: string[] = [];
    const data = await loadTextCorpusData(textData(dir), 0, (line) => lines.push(line), request);
    const reason =
      'not valid UTF-8 at line 1 (byte offset 3); the corpus must be UTF-8 text — convert it first, e.g. iconv -f latin1 -t utf-8';
    expect(data.skipped).toEqual([{ path: join(dir, 'latin1.txt'), reason }]);
    expect(lines).toContain(`skipped ${join(dir, 'latin1.txt')}: ${reason}`);
    expect(data.description).toMatch(/, 1 unreadable file skipped$/);
    expect(data.documents).toBe(2);
    // Each file read has its digest (a resume names the one that changed); the skipped one has none.
    expect(Object.keys(data.dataFiles ?? {})).toEqual([join(dir, 'doc-000.txt'), join(dir, 'doc-001.txt')]);
    // --strict-data sets data.onError: throw.
    const { config } = await loadRunConfig({
      overrides: overridesFromFlags({ data: dir, task: 'bert-mlm', 'strict-data': true }, dir),
      registries: createRegistries(),
    });
    expect(config.data).toMatchObject({ kind: 'text-corpus', onError: 'throw' });
    // IDX data is read whole or not at all: the flag is accepted there and changes nothing.
    const idx = await loadRunConfig({
      overrides: overridesFromFlags({ data: 'embedded', 'strict-data': true }, dir),
      registries: createRegistries(),
    });
    expect(idx.config.data.kind).toBe('idx');
    const strict = await loadTextCorpusData(textData(dir, { onError: 'throw' }), 0, () => {}, request).catch(
      (error) => error,
    );
    expect(strict).toBeInstanceOf(CliError);
    expect(strict.message).toBe(
      `data.path: ${join(dir, 'latin1.txt')}: not valid UTF-8 at line 1 (byte offset 3); the corpus must be UTF-8 text — convert it first, e.g. iconv -f latin1 -t utf-8 (set data.onError: skip to leave such files out)`,
    );
  });
});
