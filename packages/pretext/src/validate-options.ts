import type { OptionsSchema } from './declaration.js';

/** A problem with one option, its path relative to the options object (zod's issue fields kept). */
export interface OptionIssue {
  path: Array<string | number>;
  message: string;
  [detail: string]: unknown;
}

interface ZodLike {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: OptionIssue[] } };
}

/**
 * Validates options against a schema: the resolved options (defaults filled in) or every issue,
 * its path relative to the options (zod's issues keep their codes and bounds).
 *
 * @example validateOptions(section({ p: probability() }), { p: 2 }); // { issues: [{ path: ['p'], message: 'Too big: …', … }] }
 * @throws if the schema validates asynchronously (configs are validated synchronously).
 */
export function validateOptions(
  schema: OptionsSchema,
  options: unknown,
): { value: Record<string, unknown> } | { issues: OptionIssue[] } {
  if (schema['~standard'].vendor === 'zod' && typeof (schema as unknown as ZodLike).safeParse === 'function') {
    // zod's own issues keep their codes and bounds, for messages that quote what is allowed.
    const parsed = (schema as unknown as ZodLike).safeParse(options);
    if (parsed.success) return { value: parsed.data as Record<string, unknown> };
    return { issues: parsed.error.issues.map((issue) => ({ ...issue, path: [...issue.path] })) };
  }
  const result = schema['~standard'].validate(options);
  if (result instanceof Promise) throw new Error('option schemas must validate synchronously');
  if (result.issues === undefined) return { value: result.value };
  return {
    issues: result.issues.map((issue) => ({
      message: issue.message,
      path: (issue.path ?? []).map((part) => {
        const key = typeof part === 'object' ? part.key : part;
        return typeof key === 'number' ? key : String(key);
      }),
    })),
  };
}
