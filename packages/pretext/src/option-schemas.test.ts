import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { didYouMean, unknownFieldsMessage } from './did-you-mean.js';
import { defaultOptions, numberRange, probability, section } from './option-schemas.js';

describe('option schemas', () => {
  it('section: rejects unknown fields, naming the closest known one and every allowed field', () => {
    const schema = section({ p: probability().default(0.5), threshold: probability().default(0.5) });
    const parsed = schema.safeParse({ treshold: 0.2, q: 1 });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(
      "unknown fields 'treshold' (did you mean 'threshold'?), 'q' (did you mean 'p'?); allowed: p, threshold",
    );
  });

  it('numberRange: [low, high] inside the bounds, low ≤ high', () => {
    expect(numberRange(0, 1).safeParse([0.2, 0.8]).success).toBe(true);
    expect(numberRange(0, 1).safeParse([0.8, 0.2]).error?.issues[0]?.message).toBe(
      'the first number must not exceed the second',
    );
    expect(numberRange(0, 1).safeParse([0, 2]).success).toBe(false);
  });

  it('defaultOptions: what a schema fills in from nothing; throws when an option has no default', () => {
    expect(defaultOptions(section({ p: probability().default(0.5), blur: z.boolean().optional() }))).toEqual({
      p: 0.5,
    });
    expect(() => defaultOptions(section({ bits: z.number() }))).toThrow('the options have no defaults');
  });

  it('didYouMean and unknownFieldsMessage: a hint only for a close word', () => {
    expect(didYouMean('epohcs', ['epochs', 'seed'])).toBe(" (did you mean 'epochs'?)");
    expect(didYouMean('banana', ['epochs', 'seed'])).toBe('');
    expect(unknownFieldsMessage(['x'], ['p'])).toBe("unknown field 'x' (did you mean 'p'?); allowed: p");
  });
});
