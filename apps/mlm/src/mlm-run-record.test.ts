import { describe, expect, it } from 'vitest';
import { type MlmOptions, parseMlmOptions } from './mlm-options.js';
import { type MlmRunRecord, resumedOptions, runSettingsOf } from './mlm-run-record.js';

function options(args: string[]): MlmOptions {
  const parsed = parseMlmOptions(args);
  if (parsed === 'help') throw new Error('unexpected help');
  return parsed;
}

const started = options([
  '--data',
  '/corpora/brown',
  '--steps',
  '40',
  '--length',
  '32',
  '--seed',
  '3',
  '--probe-epochs',
  '5',
]);
const record: MlmRunRecord = {
  app: 'selfsup-mlm',
  settings: runSettingsOf(started),
  corpus: { documents: 500, fingerprint: 'c' },
  tokenizer: { file: 'tokenizer.json', source: 'trained', vocabSize: 8192, fingerprint: 't' },
  model: {},
  trainSequences: 100,
};

describe('resumedOptions', () => {
  it('takes every setting the command line leaves out from the run, and keeps given followed ones', () => {
    const resumed = resumedOptions(
      options(['--resume', '--out', 'runs/a', '--eval-sequences', '64']),
      record,
      'runs/a',
    );
    expect(resumed).toMatchObject({
      data: '/corpora/brown',
      steps: 40,
      length: 32,
      seed: 3,
      probeEpochs: 5,
      evalSequences: 64,
      checkpointEvery: 100,
      resume: true,
      out: 'runs/a',
    });
  });

  it('accepts the run’s own values given again', () => {
    expect(resumedOptions(options(['--resume', '--steps', '40', '--seed', '3']), record, 'runs/a')).toMatchObject({
      steps: 40,
      seed: 3,
    });
  });

  it('lists every given training flag that contradicts the run', () => {
    expect(() =>
      resumedOptions(
        options(['--resume', '--steps', '80', '--seed', '3', '--lr', '0.01', '--task', 'span-mlm']),
        record,
        'runs/a',
      ),
    ).toThrow(
      '--resume: runs/a was started with --task bert-mlm --steps 40 --lr 0.001, not --task span-mlm --steps 80 --lr 0.01;',
    );
  });
});
