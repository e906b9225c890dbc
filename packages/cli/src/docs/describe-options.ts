import type { OptionsSchema, TaskRegistry } from '@selfsup/pretext';
import { jsonSchemaOf, type OptionInfo, optionRows } from '@selfsup/pretext/option-schemas';
import { validationTaskOptions, withoutRunProvided } from '../config/run-provided-options.js';
import type { Registry } from '../registries/registry.js';

/**
 * What a task's source says about its options (task id → option → TSDoc and declared type): the
 * meaning and type columns of the reference, read by `readTaskOptionDocs` from the options
 * interfaces, since tasks declare their options as TypeScript interfaces rather than schemas.
 */
export type TaskOptionDocs = Record<string, Record<string, { description: string; type: string }>>;

/** A registered entry as listed: id, description, options. */
export interface EntryInfo {
  id: string;
  description: string;
  options: OptionInfo[];
  /** Extra facts (a task's modality and head, a method's views). */
  notes?: string;
}

/** The entries of a registry, with their options from their schemas. */
export function describeEntries<Entry extends { description: string; options?: OptionsSchema }>(
  registry: Registry<Entry>,
  notes?: (entry: Entry) => string | undefined,
): EntryInfo[] {
  return registry.entries().map(([id, entry]) => {
    const schema = entry.options === undefined ? undefined : jsonSchemaOf(entry.options);
    const note = notes?.(entry);
    return {
      id,
      description: entry.description,
      options:
        entry.options !== undefined && schema === undefined
          ? [
              {
                name: '(options)',
                type: 'object',
                required: false,
                description: 'validated by the plugin’s own schema',
              },
            ]
          : optionRows(schema),
      ...(note === undefined ? {} : { notes: note }),
    };
  });
}

/**
 * The tasks of a registry: each made with its defaults to read its declaration — its one-line
 * `description`, resolved options, modality and head; `docs` (from the tasks' sources) give each
 * option its meaning and declared type. A task that declares no description is listed with an
 * empty one (the reference's test fails on it for the built-ins).
 */
export function describeTasks(registry: TaskRegistry, docs: TaskOptionDocs = {}): EntryInfo[] {
  return registry.ids().map((id) => {
    try {
      // Token tasks take the corpus's vocabulary (and counts) at run time; stand-ins let their defaults show.
      const task = registry.create(id, validationTaskOptions());
      const head =
        task.head.kind === 'none' || task.head.kind === 'custom'
          ? task.head.kind
          : `${task.head.kind} → ${task.head.outputSize}`;
      return {
        id,
        description: task.description ?? '',
        notes: `${task.modality}; head: ${head}`,
        options: Object.entries(withoutRunProvided(task.options)).map(([name, value]) => ({
          name,
          type: docs[id]?.[name]?.type ?? (Array.isArray(value) ? 'array' : typeof value),
          default: value,
          required: false,
          description: docs[id]?.[name]?.description ?? '',
        })),
      };
    } catch (error) {
      return { id, description: `needs options: ${(error as Error).message}`, options: [] };
    }
  });
}
