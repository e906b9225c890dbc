import { jsonSchemaOf, type OptionInfo, optionRows, typeText } from '@selfsup/pretext/option-schemas';
import { COMMANDS } from '../command-specs.js';
import { configShape } from '../config/config-shape.js';
import { EXIT_CODE_MEANINGS, EXIT_CODES, type ExitReason } from '../exit-codes.js';
import type { Registries } from '../registries/registries.js';
import { CATALOG_SECTIONS, createCatalog } from './catalog.js';
import type { EntryInfo } from './describe-options.js';

type Schema = NonNullable<ReturnType<typeof jsonSchemaOf>>;

/** Text for a table cell: pipes escaped once (already escaped ones kept), no line breaks. */
export const cell = (text: string) => text.replace(/(?<!\\)\|/g, '\\|').replace(/\n/g, ' ');
const code = (value: unknown) => (value === undefined ? '' : `\`${JSON.stringify(value)}\``);

/** An `| option | type | default | meaning |` table (or "No options."). */
export function optionTable(options: OptionInfo[]): string[] {
  if (options.length === 0) return ['No options.', ''];
  return [
    '| option | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...options.map(
      (o) =>
        `| \`${o.name}\` | ${cell(o.type)} | ${o.required ? '**required**' : code(o.default)} | ${cell(o.description)} |`,
    ),
    '',
  ];
}

function entrySection(title: string, entries: EntryInfo[], intro: string): string[] {
  const lines = [`### ${title}`, '', intro, ''];
  for (const entry of entries) {
    lines.push(
      `#### \`${entry.id}\``,
      '',
      `${entry.description}${entry.notes === undefined ? '' : ` (${entry.notes})`}`,
      '',
    );
    lines.push(...optionTable(entry.options));
  }
  return lines;
}

function fieldRows(schema: Schema, prefix: string): string[] {
  const rows: string[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}${name}`;
    const variants = (property.oneOf ?? property.anyOf ?? []) as Schema[];
    const objectVariants = variants.filter((v) => v.properties?.kind?.const !== undefined);
    if (property.type === 'object' && property.properties !== undefined) {
      rows.push(`| \`${path}\` | section | | ${cell(property.description ?? '')} |`);
      rows.push(...fieldRows(property, `${path}.`));
    } else if (objectVariants.length > 0) {
      rows.push(
        `| \`${path}\` | ${objectVariants.map((v) => `\`kind: ${String(v.properties?.kind?.const)}\``).join(' or ')} | ${code(property.default)} | ${cell(property.description ?? '')} |`,
      );
      for (const variant of objectVariants) {
        const kind = String(variant.properties?.kind?.const);
        for (const row of optionRows(variant)) {
          if (row.name === 'kind') continue;
          rows.push(
            `| \`${path}.${row.name}\` (${kind}) | ${cell(row.type)} | ${row.required ? '**required**' : code(row.default)} | ${cell(row.description)} |`,
          );
        }
      }
    } else {
      const isRequired = required.has(name) && property.default === undefined;
      rows.push(
        `| \`${path}\` | ${cell(typeText(property))} | ${isRequired ? '**required**' : code(property.default)} | ${cell(property.description ?? '')} |`,
      );
    }
  }
  return rows;
}

const EXAMPLE = `# run.yaml — relative paths start at this file
data:
  kind: image-folder        # or: idx (MNIST-layout files; labels included)
  path: ./my-images
  size: [64, 64]
  batchSize: 128
method:
  id: simclr
  options: { temperature: 0.2 }
augmentations:
  preset: simclr
  options: { strength: 0.5 }
model:
  kind: resnet18
  options: { width: 0.5 }
optimizer: { kind: lars, weightDecay: 1.0e-6 }
schedule: { kind: warmup-cosine, learningRate: 0.3, warmupEpochs: 10 }
training: { epochs: 100 }
evaluation:
  labels: ./labeled-images  # one sub-folder per class
checkpoints: { everySteps: 200, keep: 3 }
backend: auto
seed: 0
plugins: [./my-task.ts]`;

/**
 * The CLI and config reference (docs/cli-reference.md), generated from the command specs, the
 * exit codes, the config schema and the registries, so it cannot drift from the code. Tasks are
 * not listed one by one: the reference points to `selfsup list tasks` and the generated task
 * reference (`generateTaskReference`), so adding a task changes no committed doc.
 */
export function generateReference(registries: Registries): string {
  const catalog = createCatalog(registries);
  const shape = jsonSchemaOf(configShape) as Schema;
  const lines: string[] = [
    '# `selfsup` CLI and config reference',
    '',
    '<!-- Generated from packages/cli (command specs, exit codes, config schema, registries) by',
    '     `npx -y pnpm@10 --filter @selfsup/cli docs:reference`. Do not edit: a test fails when it drifts. -->',
    '',
    'Install: `npm install @selfsup/cli @selfsup/backend` (Node 20.19+), then `npx selfsup --help`.',
    'Getting started: [getting-started.md](getting-started.md). Concepts: [concepts.md](concepts.md).',
    '',
    '## Commands',
    '',
    'Results go to stdout — one JSON document with `--json` — and logs and progress to stderr.',
    '',
  ];
  for (const command of COMMANDS) {
    lines.push(`### \`selfsup ${command.name}\``, '', `\`${command.usage}\``, '', `${command.summary}.`, '');
    lines.push('| flag | meaning | config field |', '| --- | --- | --- |');
    for (const flag of command.flags) {
      const name = `--${flag.name}${flag.value === undefined ? '' : ` ${flag.value}`}${flag.multiple ? ' (repeatable)' : ''}`;
      lines.push(
        `| \`${cell(name)}\` | ${cell(flag.description)} | ${flag.configPath === undefined ? '' : `\`${flag.configPath}\``} |`,
      );
    }
    lines.push('');
  }
  lines.push('## Exit codes', '', '| code | meaning |', '| --- | --- |');
  for (const reason of Object.keys(EXIT_CODES) as ExitReason[]) {
    lines.push(`| ${EXIT_CODES[reason]} | ${cell(EXIT_CODE_MEANINGS[reason])} |`);
  }
  lines.push(
    '',
    '## Config file',
    '',
    'YAML or JSON. Every section but `data` is optional; flags override the file. Shorthands: `method: simclr`',
    '(for `{ id: simclr }`, likewise `task`, `loss`), `backend: wasm`, `model: resnet18`, `augmentations: byol`.',
    'Errors name the field path, the value given and what is allowed, e.g.',
    "`task.id: 'jigsw' is not a task; known: rotation, …` (exit code 3). The resolved config — every default",
    'filled in, sizes and input statistics made explicit — is saved as `<run>/config.json`;',
    '`selfsup pretrain --config <run>/config.json --out <new dir>` reproduces the run.',
    '',
    '```yaml',
    EXAMPLE,
    '```',
    '',
    '| field | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...fieldRows(shape, ''),
    '',
    '## What a config can name',
    '',
    'The lists below are the built-ins; plugins add to tasks, methods, losses and augmentations',
    '(`selfsup list --plugin ./my-task.ts` shows them).',
    '',
    '### Tasks',
    '',
    'Pretext tasks (`task.id`, `--task <id>`) come from the task packages’ maps (`visionTasks`,',
    '`textTasks`, `videoTasks`) and from plugins; `task.options` are the options of the task’s factory.',
    'Every task with its description, modality, head, options, defaults and their meanings:',
    '`npx selfsup list tasks` (`--json` for tools, `--plugin ./my-task.ts` for a plugin’s), and the',
    'task reference generated from the tasks’ declarations, `dist/tasks.md` of `@selfsup/cli` (written by',
    '`pnpm build`, or `npx -y pnpm@10 --filter @selfsup/cli docs:tasks`; not committed). A task’s',
    'own file declares all of it, so a new task changes nothing here.',
    '',
  );
  const intros: Record<Exclude<(typeof CATALOG_SECTIONS)[number], 'tasks'>, string> = {
    methods: 'Self-supervised methods (`method.id`) and their `method.options`.',
    losses: 'View-pair losses (`loss.id`) for methods that take one (`two-view`).',
    augmentations:
      'Ops and presets (`augmentations.preset`, or `op` in `augmentations.pipeline`); `size` defaults to the data’s size.',
    models: 'Encoders (`model.kind`); the input shape follows the data (or the views).',
    optimizers: '`optimizer.kind` and its fields.',
    schedules: '`schedule.kind` and its fields.',
    backends: '`backend.kind`.',
  };
  for (const section of CATALOG_SECTIONS) {
    if (section === 'tasks') continue;
    lines.push(...entrySection(section[0]?.toUpperCase() + section.slice(1), catalog[section], intros[section]));
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
