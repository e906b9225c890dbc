/**
 * Entries of one kind (losses, augmentations, methods, models) by id — the same shape as
 * `@selfsup/pretext`'s task registry, so built-ins and plugins register alike and an unknown id
 * fails with the list of known ones.
 */
export interface Registry<Entry> {
  /** What an entry is, for messages: `loss`, `augmentation`, `method`, `model`. */
  readonly kind: string;
  /** Every registered id, sorted. */
  ids(): string[];
  has(id: string): boolean;
  /** The entry `id`. @throws listing the known ids when `id` is not registered. */
  get(id: string): Entry;
  /** Adds entries by id. @throws if an id is taken or is not kebab-case. */
  register(entries: Record<string, Entry>): void;
  /** `[id, entry]` pairs, sorted by id. */
  entries(): Array<[string, Entry]>;
}

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * An empty registry of `kind`s; fill it with `register`.
 *
 * @example
 * const losses = createRegistry<LossEntry>('loss');
 * losses.register({ 'nt-xent': ntXentEntry });
 * losses.get('nt-xnet'); // Error: 'nt-xnet' is not a loss; known: nt-xent
 */
export function createRegistry<Entry>(kind: string): Registry<Entry> {
  const entries = new Map<string, Entry>();
  const registry: Registry<Entry> = {
    kind,
    ids: () => [...entries.keys()].sort(),
    has: (id) => entries.has(id),
    get(id) {
      const entry = entries.get(id);
      if (entry === undefined) {
        throw new Error(`'${id}' is not ${article(kind)} ${kind}; known: ${registry.ids().join(', ') || '(none)'}`);
      }
      return entry;
    },
    register(added) {
      for (const [id, entry] of Object.entries(added)) {
        if (!ID_PATTERN.test(id)) throw new Error(`${kind} id '${id}' must be kebab-case (e.g. 'my-${kind}')`);
        if (entries.has(id)) throw new Error(`${kind} '${id}' is registered twice`);
        if (typeof entry !== 'object' || entry === null)
          throw new Error(`${kind} '${id}': the entry must be an object`);
        const declared = (entry as { id?: unknown }).id;
        if (declared !== undefined && declared !== id) {
          throw new Error(`${kind} '${id}': the entry declares the id '${String(declared)}'`);
        }
        entries.set(id, entry);
      }
    },
    entries: () => registry.ids().map((id) => [id, entries.get(id) as Entry]),
  };
  return registry;
}

/** `a` or `an` before a word. */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
