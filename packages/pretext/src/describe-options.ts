import { z } from 'zod';
import type { OptionsSchema } from './declaration.js';

/** One option of an entry or one config field, as listed and documented (`selfsup list`, the CLI reference, a form). */
export interface OptionInfo {
  name: string;
  /** `number`, `integer ≥ 1`, `'a' | 'b'`, `[number, number]`, … */
  type: string;
  /** The default as JSON, or undefined when the option is required or has none. */
  default?: unknown;
  required: boolean;
  description: string;
}

/** The parts of a JSON Schema node that describing options reads. */
export type JsonSchema = {
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
