/**
 * @selfsup/pretext/option-schemas — the zod pieces declarations build their options schemas from,
 * so every package's options reject unknown fields and word their bounds alike, and the rows that
 * describe a schema's options (`optionRows`). Loads no tfjs.
 */
import { z } from 'zod';
import type { OptionsSchema } from './declaration.js';
import { unknownFieldsMessage } from './did-you-mean.js';

export { type JsonSchema, jsonSchemaOf, type OptionInfo, optionRows, typeText } from './describe-options.js';
export { type OptionIssue, validateOptions } from './validate-options.js';

/**
 * An options object (or a config section) that rejects unknown fields with a message naming them,
 * the closest known one, and every allowed field.
 *
 * @example section({ p: probability().default(0.5) }).safeParse({ q: 1 });
 * // issue: "unknown field 'q' (did you mean 'p'?); allowed: p"
 */
export function section<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? unknownFieldsMessage(issue.keys as string[], allowed) : undefined,
  });
}

/** A positive integer. */
export const positiveInteger = () => z.number().int().positive();

/** A probability in [0, 1]. */
export const probability = () => z.number().min(0).max(1);

/** `[height, width]` in pixels. */
export const imageSize = () => z.tuple([positiveInteger(), positiveInteger()]).describe('[height, width] in pixels');

/** `[low, high]` with low ≤ high, inside [min, max]. */
export const numberRange = (min: number, max: number) =>
  z
    .tuple([z.number().min(min).max(max), z.number().min(min).max(max)])
    .refine(([low, high]) => low <= high, { message: 'the first number must not exceed the second' });

/**
 * The options a schema resolves `given` to (by default none): its defaults filled in, for tests
 * that check a factory uses the defaults its declaration states. @throws when the schema needs an
 * option `given` lacks, or validates asynchronously.
 *
 * @example defaultOptions(section({ p: probability().default(0.5) })); // { p: 0.5 }
 */
export function defaultOptions<Output extends object>(schema: OptionsSchema<Output>, given: object = {}): Output {
  const result = schema['~standard'].validate(given);
  if (result instanceof Promise) throw new Error('option schemas must validate synchronously');
  if (result.issues !== undefined) {
    throw new Error(`the options have no defaults: ${result.issues.map((issue) => issue.message).join('; ')}`);
  }
  return result.value;
}
