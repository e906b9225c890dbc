import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonSchemaOf, optionRows, typeText } from './describe-options.js';
import { imageSize, positiveInteger, probability, section } from './option-schemas.js';

describe('optionRows', () => {
  it('lists a schema’s options with their types, bounds, defaults and meanings; an object’s fields follow it', () => {
    const schema = section({
      p: probability().default(0.5).describe('probability per image'),
      size: imageSize().optional(),
      mode: z.enum(['skip', 'throw']).default('skip').describe('what a bad file does'),
      temperature: z.number().positive().describe('softmax temperature'),
      head: section({ outputSize: positiveInteger().default(128).describe('embedding size') }).prefault({}),
    });
    expect(optionRows(jsonSchemaOf(schema))).toEqual([
      { name: 'p', type: 'number ≥ 0 ≤ 1', default: 0.5, required: false, description: 'probability per image' },
      {
        name: 'size',
        type: '[integer > 0, integer > 0]',
        required: false,
        description: '[height, width] in pixels',
      },
      {
        name: 'mode',
        type: "'skip' \\| 'throw'",
        default: 'skip',
        required: false,
        description: 'what a bad file does',
      },
      { name: 'temperature', type: 'number > 0', required: true, description: 'softmax temperature' },
      { name: 'head', type: 'object (fields below)', default: {}, required: false, description: '' },
      { name: 'head.outputSize', type: 'integer > 0', default: 128, required: false, description: 'embedding size' },
    ]);
  });

  it('has no rows for a schema that is not zod’s or not an object', () => {
    const standard = { '~standard': { version: 1, vendor: 'valibot', validate: (value: unknown) => ({ value }) } };
    expect(jsonSchemaOf(standard)).toBeUndefined();
    expect(optionRows(undefined)).toEqual([]);
    expect(typeText({ type: 'array', items: { type: 'string' } })).toBe('string[]');
  });
});
