/**
 * The schema of a declaration's options: any Standard Schema (https://standardschema.dev) — a zod 4
 * schema is one — so a plugin validates with the library it likes. The built-ins use zod (through
 * `@selfsup/pretext/option-schemas`), which also gives `selfsup list` and the reference their
 * option tables.
 */
export interface OptionsSchema<Output extends object = Record<string, unknown>> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    validate(value: unknown): StandardResult<Output> | Promise<StandardResult<Output>>;
  };
}

/** What a Standard Schema's `validate` returns: the value, or the issues. */
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | {
      readonly issues: ReadonlyArray<{
        readonly message: string;
        readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
      }>;
    };

/**
 * What an extension point — a loss, an augmentation, a method, a model — states about itself,
 * beside its code: its id, a one-line description, its options schema with the defaults, and how
 * to make it. Validation, `selfsup list`, the generated reference and the tests read the
 * declaration, so nothing restates it. Each kind adds what it takes in and gives out
 * (`LossDeclaration` in `@selfsup/losses`, `AugmentationDeclaration` in `@selfsup/augment`,
 * `MethodDeclaration` in `@selfsup/trainer`, `ModelDeclaration` in `@selfsup/models`).
 *
 * A package exports its declarations by id from a tfjs-free entry (`@selfsup/losses/declarations`);
 * `create` imports the package's code when called, so listing and validating load no tfjs.
 *
 * @typeParam Made - What `create` makes (a loss function, an augmentation, an encoder, …).
 * @typeParam Context - What the run knows that the options do not (image size, encoder, seed).
 * @typeParam Options - The validated options, defaults filled in.
 *
 * @example
 * const options = section({ temperature: z.number().positive().default(0.5) });
 * export const ntXentDeclaration: LossDeclaration = {
 *   id: 'nt-xent',
 *   description: 'NT-Xent, SimCLR’s contrastive loss (Chen et al. 2020)',
 *   options,
 *   create: async ({ temperature }: z.output<typeof options>) => {
 *     const { ntXent } = await import('./nt-xent.js');
 *     return (z1, z2) => ntXent(z1, z2, { temperature });
 *   },
 * };
 */
export interface Declaration<Made, Context = void, Options extends object = Record<string, unknown>> {
  /** Registry id, kebab-case (`nt-xent`, `random-resized-crop`, `simclr`, `small-cnn`). */
  readonly id: string;
  /** One line for `selfsup list` and the reference: what it does, and the paper. */
  readonly description: string;
  /**
   * Its options, validated when a config is loaded. The validated value, defaults filled in, is
   * what a run records and what `create` receives. Left out: it takes no options.
   */
  readonly options?: OptionsSchema<Options>;
  /** Makes it from validated options; may be async (the built-ins import their package here). */
  create(options: Options, context: Context): Made | Promise<Made>;
}
