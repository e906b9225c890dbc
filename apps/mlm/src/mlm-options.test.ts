import { describe, expect, it } from 'vitest';
import { parseMlmOptions } from './mlm-options.js';

describe('parseMlmOptions', () => {
  it('checkpoints every 100 steps and starts a new run by default', () => {
    expect(parseMlmOptions([])).toMatchObject({ checkpointEvery: 100, resume: false, givenFlags: [] });
  });

  it('reads --checkpoint-every and --resume, and records which flags were given', () => {
    const options = parseMlmOptions(['--resume', '--out', 'runs/x', '--checkpoint-every', '25', '--length', '32']);
    expect(options).toMatchObject({ resume: true, out: 'runs/x', checkpointEvery: 25, length: 32 });
    expect(options !== 'help' && [...options.givenFlags].sort()).toEqual([
      'checkpoint-every',
      'length',
      'out',
      'resume',
    ]);
  });

  it('rejects a checkpoint interval that is not a positive integer, naming the flag', () => {
    expect(() => parseMlmOptions(['--checkpoint-every', '0'])).toThrow(
      "--checkpoint-every: expected a positive integer, got '0'",
    );
    expect(() => parseMlmOptions(['--checkpoint-every', '2.5'])).toThrow(
      "--checkpoint-every: expected a positive integer, got '2.5'",
    );
  });

  it("masks BERT's 15 % by default, reads --mask-rate, and rejects a rate outside (0, 1)", () => {
    expect(parseMlmOptions([])).toMatchObject({ maskRate: 0.15 });
    expect(parseMlmOptions(['--mask-rate', '0.3'])).toMatchObject({ maskRate: 0.3 });
    expect(() => parseMlmOptions(['--mask-rate', '1'])).toThrow("--mask-rate: expected a number in (0, 1), got '1'");
    expect(() => parseMlmOptions(['--mask-rate', '0'])).toThrow('--mask-rate');
  });
});
