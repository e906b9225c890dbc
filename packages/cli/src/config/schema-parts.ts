import { z } from 'zod';
import { unknownFieldsMessage } from './format-issues.js';

/**
 * A config section: an object that rejects unknown fields with a message naming them, the
 * closest known one, and every allowed field.
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

/** Free-form options of a registered entry (validated by the entry's own schema). */
export const entryOptions = () =>
  z
    .record(z.string(), z.unknown())
    .prefault({})
    .describe("the entry's options (see its table below); unknown options are rejected");
