import type { OptionsSchema, TaskRegistry } from '@selfsup/pretext';
import { z } from 'zod';
import { validationTaskOptions, withoutRunProvided } from '../config/run-provided-options.js';
import type { Registry } from '../registries/registry.js';

/** One option of an entry or one config field, for `selfsup list` and the reference. */
export interface OptionInfo {
  name: string;
  /** `number`, `integer ≥ 1`, `'a' | 'b'`, `[number, number]`, … */
  type: string;
  /** The default as JSON, or undefined when the option is required or has none. */
  default?: unknown;
  required: boolean;
  description: string;
}

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

type JsonSchema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  prefixItems?: JsonSchema[];
  items?: JsonSchema | false;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  additionalProperties?: unknown;
  minItems?: number;
};

/** The JSON Schema of a zod schema (input side), or undefined for other Standard Schemas. */
export function jsonSchemaOf(schema: unknown): JsonSchema | undefined {
  if ((schema as OptionsSchema | undefined)?.['~standard']?.vendor !== 'zod') return undefined;
  try {
    return z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return undefined;
  }
}

const SAFE = 9007199254740991;

/** A short type description of a JSON Schema node: `number > 0`, `integer ≥ 1`, `'skip' | 'throw'`. */
export function typeText(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const).replace(/"/g, "'");
  if (schema.enum !== undefined) return schema.enum.map((v) => JSON.stringify(v).replace(/"/g, "'")).join(' \\| ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union !== undefined) return union.map(typeText).join(' \\| ');
  if (schema.prefixItems !== undefined) return `[${schema.prefixItems.map(typeText).join(', ')}]`;
  const type = Array.isArray(schema.type) ? schema.type.join(' \\| ') : schema.type;
  if (type === 'array') return `${schema.items ? typeText(schema.items) : 'value'}[]`;
  if (type === 'object') return schema.properties === undefined ? 'object' : 'object (fields below)';
  if (type === 'number' || type === 'integer') {
    const bounds: string[] = [];
    if (schema.exclusiveMinimum !== undefined) bounds.push(`> ${schema.exclusiveMinimum}`);
    else if (schema.minimum !== undefined && schema.minimum > -SAFE) bounds.push(`≥ ${schema.minimum}`);
    if (schema.exclusiveMaximum !== undefined) bounds.push(`< ${schema.exclusiveMaximum}`);
    else if (schema.maximum !== undefined && schema.maximum < SAFE) bounds.push(`≤ ${schema.maximum}`);
    return [type, ...bounds].join(' ');
  }
  return type ?? 'value';
}

/** The fields of an object JSON Schema as option rows; an object field's own fields follow it (`projection.outputSize`). */
export function optionRows(schema: JsonSchema | undefined, prefix = ''): OptionInfo[] {
  if (schema?.properties === undefined) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).flatMap(([name, property]) => [
    {
      name: `${prefix}${name}`,
      type: typeText(property),
      ...(property.default === undefined ? {} : { default: property.default }),
      required: required.has(name) && property.default === undefined,
      description: property.description ?? '',
    },
    ...(property.type === 'object' ? optionRows(property, `${prefix}${name}.`) : []),
  ]);
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
