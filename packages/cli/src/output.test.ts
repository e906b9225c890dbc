import { describe, expect, it } from 'vitest';
import { createOutput } from './output.js';

function captured(options: { json: boolean; quiet: boolean }) {
  const written = { stdout: '', stderr: '' };
  const output = createOutput(
    {
      stdout: { write: (text: string) => (written.stdout += text) },
      stderr: { write: (text: string) => (written.stderr += text) },
    },
    options,
  );
  return { output, written };
}

describe('createOutput', () => {
  it('--quiet drops log lines but keeps warnings and errors', () => {
    const { output, written } = captured({ json: false, quiet: true });
    output.log('step 10/20');
    output.log('warning: checkpoint step-4 is corrupt: truncated');
    output.error('selfsup resume: no good checkpoint');
    expect(written.stderr).toBe(
      'warning: checkpoint step-4 is corrupt: truncated\nselfsup resume: no good checkpoint\n',
    );
    expect(written.stdout).toBe('');
  });

  it('prints results for people, or one JSON document with --json', () => {
    const people = captured({ json: false, quiet: false });
    people.output.print('pretrained 91.7 %');
    people.output.result({ accuracy: 0.917 });
    people.output.log('step 10/20');
    expect(people.written).toEqual({ stdout: 'pretrained 91.7 %\n', stderr: 'step 10/20\n' });
    const json = captured({ json: true, quiet: false });
    json.output.print('pretrained 91.7 %');
    json.output.result({ accuracy: 0.917 });
    expect(JSON.parse(json.written.stdout)).toEqual({ accuracy: 0.917 });
  });
});
