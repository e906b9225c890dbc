import { describe, expect, it } from 'vitest';
import { probability, section } from './option-schemas.js';
import { validateOptions } from './validate-options.js';

describe('validateOptions', () => {
  const schema = section({ p: probability().default(0.5) });

  it('resolves valid options, defaults filled in', () => {
    expect(validateOptions(schema, {})).toEqual({ value: { p: 0.5 } });
  });

  it('gives every issue with its path, keeping zod’s code and bounds', () => {
    const result = validateOptions(schema, { p: 2, q: 1 });
    expect('issues' in result && result.issues.map(({ path, code }) => ({ path, code }))).toEqual([
      { path: ['p'], code: 'too_big' },
      { path: [], code: 'unrecognized_keys' },
    ]);
    expect('issues' in result && result.issues[0]?.maximum).toBe(1);
  });

  it('reads any other Standard Schema, its path keys as names; an asynchronous one throws', () => {
    const standard = (validate: (value: unknown) => unknown) =>
      ({ '~standard': { version: 1, vendor: 'custom', validate } }) as unknown as Parameters<typeof validateOptions>[0];
    const failing = standard(() => ({ issues: [{ message: 'bad', path: [{ key: 'a' }, 0] }] }));
    expect(validateOptions(failing, {})).toEqual({ issues: [{ message: 'bad', path: ['a', 0] }] });
    expect(
      validateOptions(
        standard((value) => ({ value })),
        { a: 1 },
      ),
    ).toEqual({ value: { a: 1 } });
    expect(() =>
      validateOptions(
        standard(async () => ({ value: {} })),
        {},
      ),
    ).toThrow('synchronously');
  });
});
