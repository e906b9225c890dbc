/** A declaration as far as its options go: an id and a Standard Schema (https://standardschema.dev). */
interface DeclaredOptions {
  readonly id: string;
  readonly options?: {
    readonly '~standard': {
      validate(
        value: unknown,
      ):
        | { readonly value: object; readonly issues?: undefined }
        | { readonly issues: ReadonlyArray<{ readonly message: string }> }
        | Promise<unknown>;
    };
  };
}

/** `given` checked by a declaration's options schema, its defaults filled in (what its `create` takes). */
export function resolvedOptions(declaration: DeclaredOptions, given: Record<string, unknown>): Record<string, unknown> {
  const result = declaration.options?.['~standard'].validate(given) ?? { value: given };
  if (result instanceof Promise) throw new Error(`${declaration.id}: options schemas must validate synchronously`);
  const checked = result as { value?: object; issues?: ReadonlyArray<{ message: string }> };
  if (checked.issues !== undefined) {
    throw new Error(`${declaration.id}: ${checked.issues.map((issue) => issue.message).join('; ')}`);
  }
  return checked.value as Record<string, unknown>;
}
